<?php
use PHPUnit\Framework\TestCase;

/**
 * The module must also run on PHP 7.4, but only PHP 8.2 is installed here. This catches the 8.x-only syntax that is
 * easy to slip in (it is no substitute for running on 7.4): nullsafe ?->, match, attributes #[...], enums,
 * readonly, constructor property promotion, named arguments, union/mixed/static/never types, throw as an expression.
 */
class Php74SyntaxTest extends TestCase
{
    public function moduleFiles()
    {
        $files = array();
        $dir = new RecursiveIteratorIterator(new RecursiveDirectoryIterator(dirname(__DIR__) . '/modules'));
        foreach ($dir as $file) {
            if (substr($file->getFilename(), -4) === '.php') {
                $files[substr($file->getPathname(), strlen(dirname(__DIR__)) + 1)] = array($file->getPathname());
            }
        }
        return $files;
    }

    /** @dataProvider moduleFiles */
    public function testNoPhp8OnlySyntax($path)
    {
        $source = file_get_contents($path);
        $tokens = token_get_all($source);
        $forbidden = array('T_NULLSAFE_OBJECT_OPERATOR', 'T_MATCH', 'T_ATTRIBUTE', 'T_ENUM', 'T_READONLY');
        $code = array(); // significant tokens only
        foreach ($tokens as $token) {
            if (is_array($token)) {
                $name = token_name($token[0]);
                $this->assertNotContains($name, $forbidden, "$path line {$token[2]}: $name is PHP 8+");
                if (in_array($name, array('T_WHITESPACE', 'T_COMMENT', 'T_DOC_COMMENT'), true)) {
                    continue;
                }
                $code[] = array($name, $token[1], $token[2]);
            } else {
                $code[] = array($token, $token, 0);
            }
        }
        $inSignature = false;
        $depth = 0;
        foreach ($code as $i => $t) {
            list($name, $text, $line) = $t;
            if ($name === 'T_FUNCTION') {
                $inSignature = true;
                $depth = 0;
            }
            if ($inSignature) {
                if ($text === '(') {
                    $depth++;
                } elseif ($text === ')') {
                    $depth--;
                } elseif ($text === '{' || $text === ';') {
                    $inSignature = false;
                }
                $this->assertNotContains($name, array('T_PUBLIC', 'T_PROTECTED', 'T_PRIVATE'),
                    "$path line $line: constructor property promotion is PHP 8+");
                $this->assertFalse($depth > 0 && $text === '|', "$path line $line: union types are PHP 8+");
                $this->assertNotContains(strtolower($text), array('mixed', 'never'), "$path line $line: PHP 8+ type");
            }
            // name: value inside a call = named argument (a ternary's ':' follows '?', a label/case is not in a call)
            if ($name === 'T_STRING' && isset($code[$i + 1]) && $code[$i + 1][1] === ':' && isset($code[$i - 1])
                && ($code[$i - 1][1] === '(' || $code[$i - 1][1] === ',')) {
                $this->fail("$path line $line: named arguments are PHP 8+");
            }
            if ($name === 'T_THROW' && isset($code[$i - 1]) && in_array($code[$i - 1][1], array('??', '?:', '=>', '='), true)) {
                $this->fail("$path line $line: throw as an expression is PHP 8+");
            }
        }
        $this->assertNotEmpty($code);
    }
}
