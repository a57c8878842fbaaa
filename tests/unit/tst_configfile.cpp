#include "config/configerror.h"
#include "config/configfile.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using mcpgate::config::ConfigError;
using mcpgate::config::ConfigFile;
using mcpgate::config::ConfigSyntaxError;

class TestConfigFile : public QObject
{
    Q_OBJECT

private slots:
    void values();
    void stringEscapes_data();
    void stringEscapes();
    void integers_data();
    void integers();
    void emptyAndCommentOnly_data();
    void emptyAndCommentOnly();
    void syntaxErrors_data();
    void syntaxErrors();
    void loadNamesTheFile();
    void loadErrors();
};

void TestConfigFile::values()
{
    const QByteArray text = "\xEF\xBB\xBF# mcpgated\r\n"
                            "\n"
                            "[server]\r\n"
                            "listen = \"127.0.0.1:8080\"   # trailing comment\n"
                            "  max_connections=  42\n"
                            "\t[ log ]  # spaced header\n"
                            "access = false\n"
                            "json-ish_key = true\n"
                            "tags = [ \"a\", 'b\\c' , \"\\u00e9\",]\n"
                            "none = []\n"
                            "literal = 'C:\\path # not a comment'\n"
                            "hash = \"a # b\"";
    const ConfigFile file = ConfigFile::parse(text);
    const auto &e = file.entries();
    QCOMPARE(e.size(), 8);
    QCOMPARE(e.value(QStringLiteral("server.listen")).value,
             QVariant(QStringLiteral("127.0.0.1:8080")));
    QCOMPARE(e.value(QStringLiteral("server.listen")).line, 4);
    QCOMPARE(e.value(QStringLiteral("server.listen")).column, 10);
    QCOMPARE(e.value(QStringLiteral("server.max_connections")).value, QVariant(qint64(42)));
    QCOMPARE(e.value(QStringLiteral("server.max_connections")).value.metaType(),
             QMetaType::fromType<qint64>());
    QCOMPARE(e.value(QStringLiteral("server.max_connections")).line, 5);
    QCOMPARE(e.value(QStringLiteral("log.access")).value, QVariant(false));
    QCOMPARE(e.value(QStringLiteral("log.json-ish_key")).value, QVariant(true));
    QCOMPARE(e.value(QStringLiteral("log.tags")).value.toStringList(),
             (QStringList {QStringLiteral("a"), QStringLiteral("b\\c"), QString(QChar(0xe9))}));
    QCOMPARE(e.value(QStringLiteral("log.tags")).value.metaType(),
             QMetaType::fromType<QStringList>());
    QCOMPARE(e.value(QStringLiteral("log.none")).value.toStringList(), QStringList());
    QCOMPARE(e.value(QStringLiteral("log.none")).value.metaType(),
             QMetaType::fromType<QStringList>());
    QCOMPARE(e.value(QStringLiteral("log.literal")).value.toString(),
             QStringLiteral("C:\\path # not a comment"));
    QCOMPARE(e.value(QStringLiteral("log.hash")).value.toString(), QStringLiteral("a # b"));
    QCOMPARE(e.value(QStringLiteral("log.hash")).line, 12);
}

void TestConfigFile::stringEscapes_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << QByteArray("\"abc\"") << QStringLiteral("abc");
    QTest::newRow("empty") << QByteArray("\"\"") << QString();
    QTest::newRow("quote") << QByteArray(R"("say \"hi\"")") << QStringLiteral("say \"hi\"");
    QTest::newRow("backslash") << QByteArray(R"("a\\b")") << QStringLiteral("a\\b");
    QTest::newRow("newline tab") << QByteArray(R"("a\nb\tc\r")") << QStringLiteral("a\nb\tc\r");
    QTest::newRow("u") << QByteArray(R"("\u00E9\u20ac")")
                       << QString::fromUtf8("\xC3\xA9\xE2\x82\xAC");
    QTest::newRow("U astral") << QByteArray(R"("\U0001F600")")
                              << QString::fromUtf8("\xF0\x9F\x98\x80");
    QTest::newRow("raw utf8") << QByteArray("\"gr\xC3\xBC\xC3\x9F\"")
                              << QString::fromUtf8("gr\xC3\xBC\xC3\x9F");
    QTest::newRow("literal") << QByteArray(R"('\n stays')") << QStringLiteral("\\n stays");
    QTest::newRow("tab inside") << QByteArray("\"a\tb\"") << QStringLiteral("a\tb");
}

void TestConfigFile::stringEscapes()
{
    QFETCH(QByteArray, literal);
    QFETCH(QString, expected);
    const ConfigFile file = ConfigFile::parse("[s]\nk = " + literal + "\n");
    QCOMPARE(file.entries().value(QStringLiteral("s.k")).value, QVariant(expected));
}

void TestConfigFile::integers_data()
{
    QTest::addColumn<QByteArray>("literal");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("plus") << QByteArray("+17") << qint64(17);
    QTest::newRow("minus") << QByteArray("-5") << qint64(-5);
    QTest::newRow("underscores") << QByteArray("4_194_304") << qint64(4194304);
    QTest::newRow("max") << QByteArray("9223372036854775807") << std::numeric_limits<qint64>::max();
    QTest::newRow("min") << QByteArray("-9223372036854775808")
                         << std::numeric_limits<qint64>::min();
}

void TestConfigFile::integers()
{
    QFETCH(QByteArray, literal);
    QFETCH(qint64, expected);
    const ConfigFile file = ConfigFile::parse("[s]\nk = " + literal);
    QCOMPARE(file.entries().value(QStringLiteral("s.k")).value, QVariant(expected));
}

void TestConfigFile::emptyAndCommentOnly_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("newlines") << QByteArray("\n\r\n\n");
    QTest::newRow("comments") << QByteArray("# a\n   # b\n\t#c");
    QTest::newRow("section only") << QByteArray("[server]\n[log]\n");
}

void TestConfigFile::emptyAndCommentOnly()
{
    QFETCH(QByteArray, text);
    QVERIFY(ConfigFile::parse(text).entries().isEmpty());
}

void TestConfigFile::syntaxErrors_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("reason");

    QTest::newRow("key outside section") << QByteArray("# c\nlisten = \"x\"") << 2 << 1
                                         << QStringLiteral("key listen is outside any [section]");
    QTest::newRow("duplicate key") << QByteArray("[s]\na = 1\n\n  a = 2\n") << 4 << 3
                                   << QStringLiteral("duplicate key s.a (first set on line 2)");
    QTest::newRow("duplicate section")
        << QByteArray("[s]\n[t]\n[s]") << 3 << 1
        << QStringLiteral("section [s] appears twice (first on line 1)");
    QTest::newRow("missing =") << QByteArray("[s]\nkey value") << 2 << 5
                               << QStringLiteral("expected '=' after the key");
    QTest::newRow("missing value")
        << QByteArray("[s]\nkey =  ") << 2 << 8 << QStringLiteral("missing value after '='");
    QTest::newRow("value is comment")
        << QByteArray("[s]\nkey = # x") << 2 << 7 << QStringLiteral("missing value after '='");
    QTest::newRow("empty key") << QByteArray("[s]\n = 1") << 2 << 2
                               << QStringLiteral(
                                      "expected a key name (letters, digits, '_' or '-')");
    QTest::newRow("quoted key") << QByteArray("[s]\n\"k\" = 1") << 2 << 1
                                << QStringLiteral("quoted keys are not supported");
    QTest::newRow("dotted key") << QByteArray("[s]\na.b = 1") << 2 << 2
                                << QStringLiteral("dotted keys are not supported; use a [section]");
    QTest::newRow("unclosed section") << QByteArray("[server\n") << 1 << 8
                                      << QStringLiteral("expected ']' to close the section header");
    QTest::newRow("nested section")
        << QByteArray("[a.b]") << 1 << 3 << QStringLiteral("nested sections are not supported");
    QTest::newRow("array of tables")
        << QByteArray("[[a]]") << 1 << 2
        << QStringLiteral("arrays of tables ([[...]]) are not supported");
    QTest::newRow("empty section")
        << QByteArray("[ ]") << 1 << 3
        << QStringLiteral("expected a section name (letters, digits, '_' or '-')");
    QTest::newRow("text after header")
        << QByteArray("[s] x") << 1 << 5
        << QStringLiteral("unexpected text after the section header");
    QTest::newRow("text after value") << QByteArray("[s]\nk = 1 2") << 2 << 7
                                      << QStringLiteral("unexpected text after the value");
    QTest::newRow("text after string") << QByteArray("[s]\nk = \"a\"b") << 2 << 8
                                       << QStringLiteral("unexpected text after the value");
    QTest::newRow("unterminated string")
        << QByteArray("[s]\nk = \"abc") << 2 << 5 << QStringLiteral("unterminated string");
    QTest::newRow("unterminated literal")
        << QByteArray("[s]\nk = 'abc") << 2 << 5 << QStringLiteral("unterminated string");
    QTest::newRow("string over lines")
        << QByteArray("[s]\nk = \"a\nb\"") << 2 << 5 << QStringLiteral("unterminated string");
    QTest::newRow("trailing backslash")
        << QByteArray("[s]\nk = \"a\\") << 2 << 7 << QStringLiteral("unterminated string");
    QTest::newRow("multi-line string") << QByteArray("[s]\nk = \"\"\"a\"\"\"") << 2 << 5
                                       << QStringLiteral("multi-line strings are not supported");
    QTest::newRow("multi-line literal") << QByteArray("[s]\nk = '''a'''") << 2 << 5
                                        << QStringLiteral("multi-line strings are not supported");
    QTest::newRow("unknown escape") << QByteArray("[s]\nk = \"a\\qb\"") << 2 << 7
                                    << QStringLiteral("unknown escape sequence \\q");
    QTest::newRow("short \\u") << QByteArray("[s]\nk = \"\\u12\"") << 2 << 6
                               << QStringLiteral("\\u needs 4 hex digits");
    QTest::newRow("bad hex") << QByteArray("[s]\nk = \"\\u12G4\"") << 2 << 6
                             << QStringLiteral("\\u needs 4 hex digits");
    QTest::newRow("signed hex") << QByteArray("[s]\nk = \"\\u+123\"") << 2 << 6
                                << QStringLiteral("\\u needs 4 hex digits");
    QTest::newRow("surrogate") << QByteArray("[s]\nk = \"\\uD800\"") << 2 << 6
                               << QStringLiteral("\\uD800 is not a Unicode scalar value");
    QTest::newRow("beyond unicode") << QByteArray("[s]\nk = \"\\U00110000\"") << 2 << 6
                                    << QStringLiteral("\\U00110000 is not a Unicode scalar value");
    QTest::newRow("bare word") << QByteArray("[s]\nk = yes") << 2 << 5
                               << QStringLiteral(
                                      "invalid value yes (strings must be in double quotes)");
    QTest::newRow("unquoted address")
        << QByteArray("[s]\nlisten = 127.0.0.1:80") << 2 << 10
        << QStringLiteral("invalid value 127.0.0.1:80 (strings must be in double quotes)");
    QTest::newRow("True") << QByteArray("[s]\nk = True") << 2 << 5
                          << QStringLiteral(
                                 "invalid value True (strings must be in double quotes)");
    QTest::newRow("float") << QByteArray("[s]\nk = 1.5") << 2 << 5
                           << QStringLiteral("floating-point numbers are not supported");
    QTest::newRow("exponent") << QByteArray("[s]\nk = 1e3") << 2 << 5
                              << QStringLiteral("floating-point numbers are not supported");
    QTest::newRow("inf") << QByteArray("[s]\nk = -inf") << 2 << 5
                         << QStringLiteral("floating-point numbers are not supported");
    QTest::newRow("leading zero")
        << QByteArray("[s]\nk = 010") << 2 << 5
        << QStringLiteral("invalid integer 010 (no leading zeros; '_' only between digits)");
    QTest::newRow("double underscore")
        << QByteArray("[s]\nk = 1__0") << 2 << 5
        << QStringLiteral("invalid integer 1__0 (no leading zeros; '_' only between digits)");
    QTest::newRow("hex") << QByteArray("[s]\nk = 0x1F") << 2 << 5
                         << QStringLiteral("only decimal integers are supported");
    QTest::newRow("overflow") << QByteArray("[s]\nk = 9223372036854775808") << 2 << 5
                              << QStringLiteral("integer 9223372036854775808 is out of range");
    QTest::newRow("inline table") << QByteArray("[s]\nk = {a = 1}") << 2 << 5
                                  << QStringLiteral("inline tables are not supported");
    QTest::newRow("array of ints") << QByteArray("[s]\nk = [\"a\", 1]") << 2 << 11
                                   << QStringLiteral("arrays may only contain strings");
    QTest::newRow("unclosed array")
        << QByteArray("[s]\nk = [\"a\",\n\"b\"]") << 2 << 5
        << QStringLiteral("missing ']': arrays must end on the line they start");
    QTest::newRow("array comment")
        << QByteArray("[s]\nk = [\"a\" # x\n]") << 2 << 5
        << QStringLiteral("missing ']': arrays must end on the line they start");
    QTest::newRow("array no comma") << QByteArray("[s]\nk = [\"a\" \"b\"]") << 2 << 10
                                    << QStringLiteral("expected ',' or ']' in the array");
    QTest::newRow("control char") << QByteArray("[s]\nk = \"a\x01\"") << 2 << 7
                                  << QStringLiteral("control character U+0001 is not allowed");
    QTest::newRow("nul") << QByteArray("[s]\n# a\0b", 9) << 2 << 4
                         << QStringLiteral("control character U+0000 is not allowed");
    QTest::newRow("lone CR") << QByteArray("[s]\rk = 1") << 1 << 4
                             << QStringLiteral("control character U+000D is not allowed");
    QTest::newRow("invalid utf-8") << QByteArray("[s]\nk = \"\xC3\x28\"") << 2 << 1
                                   << QStringLiteral("the line is not valid UTF-8");
    QTest::newRow("overlong utf-8") << QByteArray("[s]\n\xC0\xAF = 1") << 2 << 1
                                    << QStringLiteral("the line is not valid UTF-8");
    QTest::newRow("bom mid-file") << QByteArray("[s]\n\xEF\xBB\xBFk = 1") << 2 << 1
                                  << QStringLiteral(
                                         "expected a key name (letters, digits, '_' or '-')");
}

void TestConfigFile::syntaxErrors()
{
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, reason);
    try {
        ConfigFile::parse(text);
        QFAIL("no ConfigSyntaxError");
    } catch (const ConfigSyntaxError &error) {
        QCOMPARE(error.reason(), reason);
        QCOMPARE(error.line(), line);
        QCOMPARE(error.column(), column);
        QCOMPARE(QString::fromStdString(error.what()),
                 QStringLiteral("line %1, column %2: %3").arg(line).arg(column).arg(reason));
    }
}

void TestConfigFile::loadNamesTheFile()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("mcpgated.conf"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[server]\nlisten = \"127.0.0.1:9\"\n[log]\nformat = json\n");
    file.close();
    try {
        ConfigFile::load(path);
        QFAIL("no ConfigSyntaxError");
    } catch (const ConfigSyntaxError &error) {
        QCOMPARE(error.file(), path);
        QCOMPARE(
            QString::fromStdString(error.what()),
            path + QStringLiteral(":4:10: invalid value json (strings must be in double quotes)"));
    }

    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[server]\nlisten = \"127.0.0.1:9\"\n");
    file.close();
    QCOMPARE(ConfigFile::load(path).entries().value(QStringLiteral("server.listen")).line, 2);
}

void TestConfigFile::loadErrors()
{
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.conf"));
    try {
        ConfigFile::load(missing);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(QString::fromStdString(error.what()), missing + QStringLiteral(": no such file"));
    }
    try {
        ConfigFile::load(dir.path());
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QCOMPARE(QString::fromStdString(error.what()),
                 dir.path() + QStringLiteral(": is a directory, not a configuration file"));
    }
    const QString huge = dir.filePath(QStringLiteral("huge.conf"));
    QFile file(huge);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(1024 * 1024 + 1, '#'));
    file.close();
    try {
        ConfigFile::load(huge);
        QFAIL("no ConfigError");
    } catch (const ConfigError &error) {
        QVERIFY2(
            QString::fromStdString(error.what()).startsWith(huge + QStringLiteral(": larger than")),
            error.what());
    }
}

QTEST_GUILESS_MAIN(TestConfigFile)
#include "tst_configfile.moc"
