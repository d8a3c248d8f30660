namespace Connector.Ews.Tests.Support;

/// <summary>The shared reference material beside the clone: <c>&lt;repo&gt;/../shared/reference</c>.</summary>
internal static class Reference
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Connector.sln")))
                return System.IO.Path.GetFullPath(System.IO.Path.Combine(dir.FullName, "..", "shared", "reference"));
        throw new InvalidOperationException("Connector.sln not found above " + AppContext.BaseDirectory);
    }
}
