<?php
use PHPUnit\Framework\TestCase;

/** The zip is what an admin imports in Settings > Module Manager; check it the way vtlib's PackageImport does. */
class BuildTest extends TestCase
{
    public function testTheBuildScriptMakesAnImportablePackage()
    {
        $root = dirname(__DIR__);
        exec('bash ' . escapeshellarg($root . '/build.sh') . ' 2>&1', $output, $status);
        $this->assertSame(0, $status, implode("\n", $output));
        $zip = trim(end($output));
        $this->assertFileExists($zip);

        exec('unzip -Z1 ' . escapeshellarg($zip), $files, $status);
        $this->assertSame(0, $status);
        // vtlib checkZip: manifest.xml, the module's English language file, a version dependency.
        $this->assertContains('manifest.xml', $files);
        $this->assertContains('modules/ExchangeConnector/language/en_us.lang.php', $files);
        foreach (array('ExchangeConnector.php', 'ExchangeConnectorHandler.php', 'ActivityExch.php', 'ContactsExch.php') as $file) {
            $this->assertContains('modules/ExchangeConnector/' . $file, $files);
        }
        foreach ($files as $file) {
            $this->assertMatchesRegularExpression('#^(manifest\.xml|modules/(ExchangeConnector(/.*)?)?)$#', $file,
                'only what PackageImport extracts');
        }

        $manifest = simplexml_load_string(shell_exec('unzip -p ' . escapeshellarg($zip) . ' manifest.xml'));
        $this->assertSame('ExchangeConnector', (string)$manifest->name);
        $this->assertSame('extension', (string)$manifest->type);
        $this->assertNotSame('', (string)$manifest->dependencies->vtenext_version);
        $this->assertNotSame('', (string)$manifest->dependencies->vtiger_version);
    }
}
