using System.Xml.Schema;
using Connector.Ews.Tests.Support;

namespace Connector.Ews.Tests;

/// <summary>The schema check that guards every client request must itself be able to fail.</summary>
public sealed class SchemaValidatorTests
{
    private const string Head = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:m=\"http://schemas.microsoft.com/exchange/services/2006/messages\" xmlns:t=\"http://schemas.microsoft.com/exchange/services/2006/types\">" +
                                "<soap:Header><t:RequestServerVersion Version=\"Exchange2013_SP1\"/></soap:Header><soap:Body>";
    private const string Tail = "</soap:Body></soap:Envelope>";

    [Fact]
    public void A_valid_request_passes()
    {
        EwsSchema.Validate(Head + "<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:ItemIds><t:ItemId Id=\"x\"/></m:ItemIds></m:GetItem>" + Tail);
    }

    [Theory]
    [InlineData("<m:GetItem><m:ItemIds><t:ItemId Id=\"x\"/></m:ItemIds><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape></m:GetItem>")] // order
    [InlineData("<m:CreateItem><m:Items><t:CalendarItem><t:Start>2030-01-01T00:00:00Z</t:Start><t:Subject>late</t:Subject></t:CalendarItem></m:Items></m:CreateItem>")] // ItemType after CalendarItemType
    [InlineData("<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id=\"calendar\"/></m:SyncFolderId><m:MaxChangesReturned>513</m:MaxChangesReturned></m:SyncFolderItems>")] // > 512
    public void An_invalid_request_fails(string body)
    {
        Assert.Throws<XmlSchemaValidationException>(() => EwsSchema.Validate(Head + body + Tail));
    }
}
