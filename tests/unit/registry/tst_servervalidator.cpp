// ServerValidator: every input rule names its field, all errors are reported together, and
// PATCH bodies follow JSON merge patch semantics.
#include "registry/jsonmergepatch.h"
#include "registry/serverdraft.h"
#include "registry/serverrecord.h"
#include "registry/servervalidator.h"
#include "registry/validationerror.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace mcpgate::registry;

namespace {

QJsonValue json(const QByteArray &text)
{
    QJsonParseError error;
    // Wrapped, so that scalars parse too.
    const QJsonDocument document = QJsonDocument::fromJson("[" + text + "]", &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("bad JSON in test: %s: %s", text.constData(), qPrintable(error.errorString()));
    return document.array().at(0);
}

QByteArray serialize(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

const QByteArray stdioBase
    = R"({"name": "github", "transport": {"type": "stdio", "command": "/usr/bin/x"}})";
const QByteArray httpBase
    = R"({"name": "web", "transport": {"type": "streamable-http", "url": "https://mcp.example.com/mcp"}})";
const QByteArray sseBase
    = R"({"name": "legacy", "transport": {"type": "sse", "url": "http://127.0.0.1:9000/sse"}})";

// The fields named by a ValidationError thrown by `body`, or {"<no error>"}.
template<typename Body> QStringList errorFields(Body body)
{
    try {
        body();
    } catch (const ValidationError &error) {
        QStringList fields;
        for (const QJsonValue &entry : error.fieldErrors()) {
            const QJsonObject object = entry.toObject();
            if (object.value(QLatin1String("message")).toString().isEmpty())
                fields.append(QStringLiteral("<empty message>"));
            fields.append(object.value(QLatin1String("field")).toString());
        }
        return fields;
    }
    return {QStringLiteral("<no error>")};
}

QStringList createErrors(const QJsonValue &input)
{
    return errorFields([&] { ServerValidator::validateCreate(input); });
}

ServerRecord storedStdioRecord()
{
    ServerRecord record;
    record.id = QStringLiteral("7b0c6f5e-0000-4000-8000-000000000001");
    record.tenantId = QStringLiteral("default");
    record.name = QStringLiteral("github");
    record.displayName = QStringLiteral("GitHub");
    record.description = QStringLiteral("Issues and pull requests");
    record.transport.type = TransportType::Stdio;
    record.transport.stdio.command = QStringLiteral("/usr/bin/github-mcp");
    record.transport.stdio.args = {QStringLiteral("--stdio")};
    record.transport.stdio.env = {{QStringLiteral("LOG"), QStringLiteral("debug")}};
    record.transport.stdio.cwd = QStringLiteral("/srv");
    record.credentialType = CredentialType::Bearer;
    record.credentialConfigured = true;
    record.tags = {QStringLiteral("dev"), QStringLiteral("git")};
    record.enabled = true;
    record.owner = QStringLiteral("key:ab12cd34");
    record.revision = 3;
    return record;
}

} // namespace

class TestServerValidator : public QObject
{
    Q_OBJECT

private slots:
    void acceptsValidInput_data();
    void acceptsValidInput();
    void rejectsEachRule_data();
    void rejectsEachRule();
    void collectsAllErrors();
    void appliesDefaults();
    void readsEveryField();
    void readsCredentials();
    void validatesNameAndTagHelpers();

    void mergePatchFollowsRfc7396_data();
    void mergePatchFollowsRfc7396();
    void patchKeepsUnmentionedFields();
    void patchNullRemovesOptionalFields();
    void patchCredentialSemantics();
    void patchCanSwitchTransport();
    void patchIsValidatedAsAWhole_data();
    void patchIsValidatedAsAWhole();
};

void TestServerValidator::acceptsValidInput_data()
{
    QTest::addColumn<QByteArray>("base");
    QTest::addColumn<QByteArray>("patch");
    const auto row = [](const char *name, const QByteArray &base, const QByteArray &patch) {
        QTest::newRow(name) << base << patch;
    };
    row("minimal stdio", stdioBase, "{}");
    row("minimal streamable-http", httpBase, "{}");
    row("minimal sse", sseBase, "{}");
    row("63-character name", stdioBase, "{\"name\": \"" + QByteArray(63, 'a') + "\"}");
    row("name with digit and dash", stdioBase, R"({"name": "0-a-9"})");
    row("200-character displayName", stdioBase,
        "{\"displayName\": \"" + QByteArray(200, 'D') + "\"}");
    row("200 characters outside ASCII", stdioBase,
        "{\"displayName\": \"" + QString::fromUcs4(U"\U0001F600").repeated(100).toUtf8()
            + QString(100, QChar(u'\u00e9')).toUtf8() + "\"}");
    row("2000-character description", stdioBase,
        "{\"description\": \"" + QByteArray(2000, 'd') + "\"}");
    row("4096-character command", stdioBase,
        "{\"transport\": {\"command\": \"" + QByteArray(4096, 'c') + "\"}}");
    QByteArray args;
    for (int i = 0; i < 256; ++i)
        args += (i ? ", \"" : "\"") + QByteArray::number(i) + '"';
    row("256 args", stdioBase, "{\"transport\": {\"args\": [" + args + "]}}");
    row("empty args and env", stdioBase, R"({"transport": {"args": [], "env": {}}})");
    row("env names", stdioBase, R"({"transport": {"env": {"_X": "", "a1_B": "v"}}})");
    row("relative-looking arg", stdioBase, R"({"transport": {"args": ["", "../x"]}})");
    row("http with port, path, query", httpBase,
        R"({"transport": {"url": "http://10.0.0.1:8080/a/b?c=d"}})");
    row("IPv6 host", sseBase, R"({"transport": {"url": "http://[::1]:8080/sse"}})");
    row("token header names", httpBase,
        R"({"transport": {"headers": {"X-Api-Version": "2", "x!#$%&'*+.^_`|~": "v"}}})");
    row("Authorization as header credential", httpBase,
        R"({"credential": {"type": "header", "name": "Authorization", "value": "Basic abc"}})");
    row("credential none", stdioBase, R"({"credential": {"type": "none"}})");
    row("8192-character token", httpBase,
        "{\"credential\": {\"type\": \"bearer\", \"token\": \"" + QByteArray(8192, 't') + "\"}}");
    QByteArray tags;
    for (int i = 0; i < 32; ++i)
        tags += (i ? ", \"t" : "\"t") + QByteArray::number(i) + '"';
    row("32 tags", stdioBase, "{\"tags\": [" + tags + "]}");
    row("tag charset", stdioBase,
        "{\"tags\": [\"a.b_c-d\", \"0\", \"" + QByteArray(32, 'z') + "\"]}");
    row("enabled false", stdioBase, R"({"enabled": false})");
}

void TestServerValidator::acceptsValidInput()
{
    QFETCH(QByteArray, base);
    QFETCH(QByteArray, patch);
    QCOMPARE(createErrors(applyMergePatch(json(base), json(patch))),
             QStringList {QStringLiteral("<no error>")});
}

void TestServerValidator::rejectsEachRule_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("fields");
    const auto row = [](const char *name, const QByteArray &base, const QByteArray &patch,
                        const QStringList &fields) {
        QTest::newRow(name) << serialize(applyMergePatch(json(base), json(patch))) << fields;
    };
    const auto raw = [](const char *name, const QByteArray &input, const QStringList &fields) {
        QTest::newRow(name) << input << fields;
    };
    const QString body = QStringLiteral("body");

    // The document itself.
    raw("array body", "[]", {body});
    raw("string body", R"("x")", {body});
    raw("null body", "null", {body});
    raw("number body", "1", {body});
    row("unknown top-level field", stdioBase, R"({"colour": "red"})", {QStringLiteral("colour")});
    for (const char *readOnly : {"id", "tenant", "owner", "createdAt", "updatedAt", "revision"})
        row(readOnly, stdioBase, "{\"" + QByteArray(readOnly) + "\": \"x\"}",
            {QString::fromLatin1(readOnly)});

    // name
    const QStringList name {QStringLiteral("name")};
    raw("name missing", R"({"transport": {"type": "stdio", "command": "x"}})", name);
    row("name not a string", stdioBase, R"({"name": 5})", name);
    raw("name null", R"({"name": null, "transport": {"type": "stdio", "command": "x"}})", name);
    row("name empty", stdioBase, R"({"name": ""})", name);
    row("name upper case", stdioBase, R"({"name": "GitHub"})", name);
    row("name starts with dash", stdioBase, R"({"name": "-gh"})", name);
    row("name with underscore", stdioBase, R"({"name": "git_hub"})", name);
    row("name with dot", stdioBase, R"({"name": "git.hub"})", name);
    row("name with space", stdioBase, R"({"name": "git hub"})", name);
    row("name with trailing newline", stdioBase, R"({"name": "github\n"})", name);
    row("name 64 characters", stdioBase, "{\"name\": \"" + QByteArray(64, 'a') + "\"}", name);

    // displayName, description
    const QStringList displayName {QStringLiteral("displayName")};
    row("displayName not a string", stdioBase, R"({"displayName": true})", displayName);
    raw("displayName null",
        R"({"name": "a", "displayName": null, "transport": {"type": "stdio", "command": "x"}})",
        displayName);
    row("displayName empty", stdioBase, R"({"displayName": ""})", displayName);
    row("displayName 201 characters", stdioBase,
        "{\"displayName\": \"" + QByteArray(201, 'D') + "\"}", displayName);
    const QStringList description {QStringLiteral("description")};
    row("description not a string", stdioBase, R"({"description": ["a"]})", description);
    raw("description null",
        R"({"name": "a", "description": null, "transport": {"type": "stdio", "command": "x"}})",
        description);
    row("description 2001 characters", stdioBase,
        "{\"description\": \"" + QByteArray(2001, 'd') + "\"}", description);

    // transport
    const QStringList transport {QStringLiteral("transport")};
    raw("transport missing", R"({"name": "a"})", transport);
    raw("transport not an object", R"({"name": "a", "transport": "stdio"})", transport);
    raw("transport null", R"({"name": "a", "transport": null})", transport);
    const QStringList type {QStringLiteral("transport.type")};
    raw("transport type missing", R"({"name": "a", "transport": {"command": "x"}})", type);
    raw("transport type not a string", R"({"name": "a", "transport": {"type": 1, "command": "x"}})",
        type);
    raw("transport type unknown",
        R"({"name": "a", "transport": {"type": "websocket", "url": "ws://x"}})", type);
    raw("transport type wrong case",
        R"({"name": "a", "transport": {"type": "STDIO", "command": "x"}})", type);

    // stdio
    const QStringList command {QStringLiteral("transport.command")};
    raw("command missing", R"({"name": "a", "transport": {"type": "stdio"}})", command);
    row("command not a string", stdioBase, R"({"transport": {"command": ["x"]}})", command);
    row("command empty", stdioBase, R"({"transport": {"command": ""}})", command);
    row("command 4097 characters", stdioBase,
        "{\"transport\": {\"command\": \"" + QByteArray(4097, 'c') + "\"}}", command);
    row("command with NUL", stdioBase, R"({"transport": {"command": "/bin/x\u0000y"}})", command);
    row("args not an array", stdioBase, R"({"transport": {"args": "-v"}})",
        {QStringLiteral("transport.args")});
    row("args item not a string", stdioBase, R"({"transport": {"args": ["-v", 2, "x", {}]}})",
        {QStringLiteral("transport.args[1]"), QStringLiteral("transport.args[3]")});
    row("args item with NUL", stdioBase, R"({"transport": {"args": ["a\u0000"]}})",
        {QStringLiteral("transport.args[0]")});
    QByteArray tooManyArgs;
    for (int i = 0; i < 257; ++i)
        tooManyArgs += i ? ", \"a\"" : "\"a\"";
    row("257 args", stdioBase, "{\"transport\": {\"args\": [" + tooManyArgs + "]}}",
        {QStringLiteral("transport.args")});
    row("env not an object", stdioBase, R"({"transport": {"env": ["A=b"]}})",
        {QStringLiteral("transport.env")});
    row("env name starts with digit", stdioBase,
        R"({"transport": {"env": {"1BAD": "x", "GOOD": "y"}}})",
        {QStringLiteral("transport.env.1BAD")});
    row("env name with dash", stdioBase, R"({"transport": {"env": {"BAD-NAME": "x"}}})",
        {QStringLiteral("transport.env.BAD-NAME")});
    row("env name with equals", stdioBase, R"({"transport": {"env": {"A=B": "x"}}})",
        {QStringLiteral("transport.env.A=B")});
    row("env name empty", stdioBase, R"({"transport": {"env": {"": "x"}}})",
        {QStringLiteral("transport.env.")});
    row("env value not a string", stdioBase, R"({"transport": {"env": {"FOO": 1}}})",
        {QStringLiteral("transport.env.FOO")});
    row("env value with NUL", stdioBase, R"({"transport": {"env": {"FOO": "a\u0000b"}}})",
        {QStringLiteral("transport.env.FOO")});
    const QStringList cwd {QStringLiteral("transport.cwd")};
    row("cwd not a string", stdioBase, R"({"transport": {"cwd": 1}})", cwd);
    row("cwd relative", stdioBase, R"({"transport": {"cwd": "srv/x"}})", cwd);
    row("cwd empty", stdioBase, R"({"transport": {"cwd": ""}})", cwd);
    row("cwd with NUL", stdioBase, R"({"transport": {"cwd": "/srv\u0000"}})", cwd);
    row("stdio with url", stdioBase, R"({"transport": {"url": "https://x"}})",
        {QStringLiteral("transport.url")});
    row("stdio with unknown field", stdioBase, R"({"transport": {"shell": true}})",
        {QStringLiteral("transport.shell")});

    // streamable-http and sse
    const QStringList url {QStringLiteral("transport.url")};
    raw("url missing", R"({"name": "a", "transport": {"type": "streamable-http"}})", url);
    raw("sse url missing", R"({"name": "a", "transport": {"type": "sse"}})", url);
    row("url not a string", httpBase, R"({"transport": {"url": 80}})", url);
    row("url ftp", httpBase, R"({"transport": {"url": "ftp://example.com/x"}})", url);
    row("url ws", sseBase, R"({"transport": {"url": "ws://example.com/x"}})", url);
    row("url without scheme", httpBase, R"({"transport": {"url": "example.com/mcp"}})", url);
    row("url relative path", httpBase, R"({"transport": {"url": "/mcp"}})", url);
    row("url without host", httpBase, R"({"transport": {"url": "https:///mcp"}})", url);
    row("url scheme only", httpBase, R"({"transport": {"url": "https:"}})", url);
    row("url with user and password", httpBase,
        R"({"transport": {"url": "https://user:pw@example.com/"}})", url);
    row("url with user", httpBase, R"({"transport": {"url": "https://user@example.com/"}})", url);
    row("url with password only", sseBase, R"({"transport": {"url": "http://:pw@example.com/"}})",
        url);
    row("url with space", httpBase, R"({"transport": {"url": "https://exa mple.com/"}})", url);
    row("url empty", httpBase, R"({"transport": {"url": ""}})", url);
    row("headers not an object", httpBase, R"({"transport": {"headers": "X-A: b"}})",
        {QStringLiteral("transport.headers")});
    row("header name with space", httpBase, R"({"transport": {"headers": {"X Foo": "b"}}})",
        {QStringLiteral("transport.headers.X Foo")});
    row("header name with colon", httpBase, R"({"transport": {"headers": {"X-Foo:": "b"}}})",
        {QStringLiteral("transport.headers.X-Foo:")});
    row("header name non-ASCII", httpBase, R"({"transport": {"headers": {"X-Fö": "b"}}})",
        {QStringLiteral("transport.headers.X-Fö")});
    row("header name empty", httpBase, R"({"transport": {"headers": {"": "b"}}})",
        {QStringLiteral("transport.headers.")});
    row("header value not a string", httpBase, R"({"transport": {"headers": {"X-A": 1}}})",
        {QStringLiteral("transport.headers.X-A")});
    row("header value with CR", httpBase, R"({"transport": {"headers": {"X-A": "a\rb"}}})",
        {QStringLiteral("transport.headers.X-A")});
    row("header value with LF", sseBase, R"({"transport": {"headers": {"X-A": "a\nX-B: c"}}})",
        {QStringLiteral("transport.headers.X-A")});
    row("header value with NUL", httpBase, R"({"transport": {"headers": {"X-A": "a\u0000"}}})",
        {QStringLiteral("transport.headers.X-A")});
    for (const char *managed : {"Host", "Content-Length", "Transfer-Encoding", "Connection",
                                "Authorization", "authorization", "HOST", "Mcp-Session-Id",
                                "MCP-Protocol-Version", "Upgrade", "TE", "Keep-Alive"}) {
        const QByteArray rowName = "header " + QByteArray(managed);
        row(rowName.constData(), httpBase,
            "{\"transport\": {\"headers\": {\"" + QByteArray(managed) + "\": \"v\"}}}",
            {QStringLiteral("transport.headers.") + QString::fromLatin1(managed)});
    }
    row("http with command", httpBase, R"({"transport": {"command": "/bin/x"}})",
        {QStringLiteral("transport.command")});
    row("sse with env", sseBase, R"({"transport": {"env": {}}})",
        {QStringLiteral("transport.env")});
    row("http with unknown field", httpBase, R"({"transport": {"timeout": 5}})",
        {QStringLiteral("transport.timeout")});

    // credential
    row("credential not an object", httpBase, R"({"credential": "bearer"})",
        {QStringLiteral("credential")});
    raw("credential null",
        R"({"name": "a", "transport": {"type": "stdio", "command": "x"}, "credential": null})",
        {QStringLiteral("credential")});
    const QStringList credentialType {QStringLiteral("credential.type")};
    row("credential type missing", httpBase, R"({"credential": {"token": "t"}})", credentialType);
    row("credential type not a string", httpBase, R"({"credential": {"type": true}})",
        credentialType);
    row("credential type unknown", httpBase, R"({"credential": {"type": "basic", "token": "t"}})",
        credentialType);
    row("none with token", httpBase, R"({"credential": {"type": "none", "token": "t"}})",
        {QStringLiteral("credential.token")});
    const QStringList token {QStringLiteral("credential.token")};
    row("bearer token missing", httpBase, R"({"credential": {"type": "bearer"}})", token);
    row("bearer token not a string", httpBase, R"({"credential": {"type": "bearer", "token": 12}})",
        token);
    row("bearer token empty", httpBase, R"({"credential": {"type": "bearer", "token": ""}})",
        token);
    row("bearer token with CRLF", httpBase,
        R"({"credential": {"type": "bearer", "token": "t\r\nX-Evil: 1"}})", token);
    row("bearer token with NUL", httpBase,
        R"({"credential": {"type": "bearer", "token": "t\u0000"}})", token);
    row("bearer token too long", httpBase,
        "{\"credential\": {\"type\": \"bearer\", \"token\": \"" + QByteArray(8193, 't') + "\"}}",
        token);
    row("bearer with value", httpBase,
        R"({"credential": {"type": "bearer", "token": "t", "value": "v"}})",
        {QStringLiteral("credential.value")});
    row("bearer with name", httpBase,
        R"({"credential": {"type": "bearer", "token": "t", "name": "X-A"}})",
        {QStringLiteral("credential.name")});
    const QStringList headerName {QStringLiteral("credential.name")};
    row("header name missing", httpBase, R"({"credential": {"type": "header", "value": "v"}})",
        headerName);
    row("header name not a string", httpBase,
        R"({"credential": {"type": "header", "name": 1, "value": "v"}})", headerName);
    row("header name not a token", httpBase,
        R"({"credential": {"type": "header", "name": "X Api Key", "value": "v"}})", headerName);
    row("header name Host", httpBase,
        R"({"credential": {"type": "header", "name": "Host", "value": "v"}})", headerName);
    row("header name Content-Length", httpBase,
        R"({"credential": {"type": "header", "name": "content-length", "value": "1"}})",
        headerName);
    const QStringList headerValue {QStringLiteral("credential.value")};
    row("header value missing", httpBase,
        R"({"credential": {"type": "header", "name": "X-Api-Key"}})", headerValue);
    row("header value not a string", httpBase,
        R"({"credential": {"type": "header", "name": "X-Api-Key", "value": []}})", headerValue);
    row("header value empty", httpBase,
        R"({"credential": {"type": "header", "name": "X-Api-Key", "value": ""}})", headerValue);
    row("header value with LF", httpBase,
        R"({"credential": {"type": "header", "name": "X-Api-Key", "value": "a\nb"}})", headerValue);
    row("header with token", httpBase,
        R"({"credential": {"type": "header", "name": "X-Api-Key", "value": "v", "token": "t"}})",
        {QStringLiteral("credential.token")});

    // tags
    row("tags not an array", stdioBase, R"({"tags": "dev"})", {QStringLiteral("tags")});
    raw("tags null",
        R"({"name": "a", "transport": {"type": "stdio", "command": "x"}, "tags": null})",
        {QStringLiteral("tags")});
    row("tag not a string", stdioBase, R"({"tags": ["a", 1]})", {QStringLiteral("tags[1]")});
    row("tag upper case", stdioBase, R"({"tags": ["Dev"]})", {QStringLiteral("tags[0]")});
    row("tag starts with dot", stdioBase, R"({"tags": ["ok", ".dev"]})",
        {QStringLiteral("tags[1]")});
    row("tag starts with dash", stdioBase, R"({"tags": ["-dev"]})", {QStringLiteral("tags[0]")});
    row("tag empty", stdioBase, R"({"tags": [""]})", {QStringLiteral("tags[0]")});
    row("tag with space", stdioBase, R"({"tags": ["a b"]})", {QStringLiteral("tags[0]")});
    row("tag 33 characters", stdioBase, "{\"tags\": [\"" + QByteArray(33, 't') + "\"]}",
        {QStringLiteral("tags[0]")});
    row("duplicate tag", stdioBase, R"({"tags": ["a", "b", "a"]})", {QStringLiteral("tags[2]")});
    QByteArray tooManyTags;
    for (int i = 0; i < 33; ++i)
        tooManyTags += (i ? ", \"t" : "\"t") + QByteArray::number(i) + '"';
    row("33 tags", stdioBase, "{\"tags\": [" + tooManyTags + "]}", {QStringLiteral("tags")});

    // enabled
    row("enabled string", stdioBase, R"({"enabled": "true"})", {QStringLiteral("enabled")});
    row("enabled number", stdioBase, R"({"enabled": 1})", {QStringLiteral("enabled")});
    raw("enabled null",
        R"({"name": "a", "transport": {"type": "stdio", "command": "x"}, "enabled": null})",
        {QStringLiteral("enabled")});
}

void TestServerValidator::rejectsEachRule()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, fields);
    QCOMPARE(createErrors(json(input)), fields);
}

void TestServerValidator::collectsAllErrors()
{
    const QJsonValue input = json(R"({
        "name": "Bad Name", "displayName": "", "description": 3, "id": "x", "extra": 1,
        "transport": {"type": "streamable-http", "url": "ftp://x", "headers": {"Host": "h", "X-Ok": "1", "X-Bad": 2}},
        "credential": {"type": "bearer"},
        "tags": ["ok", "Bad", "ok"],
        "enabled": "yes"})");
    QStringList fields = createErrors(input);
    fields.sort();
    QStringList expected = {QStringLiteral("name"),
                            QStringLiteral("displayName"),
                            QStringLiteral("description"),
                            QStringLiteral("id"),
                            QStringLiteral("extra"),
                            QStringLiteral("transport.url"),
                            QStringLiteral("transport.headers.Host"),
                            QStringLiteral("transport.headers.X-Bad"),
                            QStringLiteral("credential.token"),
                            QStringLiteral("tags[1]"),
                            QStringLiteral("tags[2]"),
                            QStringLiteral("enabled")};
    expected.sort();
    QCOMPARE(fields, expected);

    try {
        ServerValidator::validateCreate(input);
        QFAIL("no error");
    } catch (const ValidationError &error) {
        for (const QJsonValue &entry : error.fieldErrors()) {
            const QJsonObject object = entry.toObject();
            QCOMPARE(object.size(), 2);
            QVERIFY(!object.value(QLatin1String("message")).toString().isEmpty());
        }
        QVERIFY(QByteArray(error.what()).contains("transport.url"));
    }
}

void TestServerValidator::appliesDefaults()
{
    const ServerDraft draft = ServerValidator::validateCreate(json(stdioBase));
    QCOMPARE(draft.name, QStringLiteral("github"));
    QCOMPARE(draft.displayName, QStringLiteral("github"));
    QCOMPARE(draft.description, QString());
    QVERIFY(!draft.description.isNull()); // stored in a NOT NULL column
    QVERIFY(draft.tags.isEmpty());
    QCOMPARE(draft.enabled, true);
    QVERIFY(draft.credential.has_value());
    QCOMPARE(draft.credential->type, CredentialType::None);
    QCOMPARE(draft.credential->secret, QString());
    QCOMPARE(draft.transport.type, TransportType::Stdio);
    QVERIFY(draft.transport.stdio.args.isEmpty());
    QVERIFY(draft.transport.stdio.env.isEmpty());
    QCOMPARE(draft.transport.stdio.cwd, QString());
}

void TestServerValidator::readsEveryField()
{
    const ServerDraft stdio = ServerValidator::validateCreate(json(R"({
        "name": "github", "displayName": "GitHub", "description": "Issues",
        "transport": {"type": "stdio", "command": "/usr/bin/gh", "args": ["mcp", "--stdio"],
                      "env": {"K": "V", "LOG": ""}, "cwd": "/tmp"},
        "tags": ["git", "dev"], "enabled": false})"));
    QCOMPARE(stdio.displayName, QStringLiteral("GitHub"));
    QCOMPARE(stdio.description, QStringLiteral("Issues"));
    QCOMPARE(stdio.transport.stdio.command, QStringLiteral("/usr/bin/gh"));
    QCOMPARE(stdio.transport.stdio.args,
             (QStringList {QStringLiteral("mcp"), QStringLiteral("--stdio")}));
    QCOMPARE(stdio.transport.stdio.env.value(QStringLiteral("K")), QStringLiteral("V"));
    QCOMPARE(stdio.transport.stdio.env.size(), 2);
    QCOMPARE(stdio.transport.stdio.cwd, QStringLiteral("/tmp"));
    QCOMPARE(stdio.tags, (QStringList {QStringLiteral("git"), QStringLiteral("dev")}));
    QCOMPARE(stdio.enabled, false);

    const ServerDraft sse = ServerValidator::validateCreate(json(R"({
        "name": "legacy", "transport": {"type": "sse", "url": "https://mcp.example.com:8443/sse?x=1",
                                        "headers": {"X-Foo": "bar"}}})"));
    QCOMPARE(sse.transport.type, TransportType::Sse);
    QCOMPARE(sse.transport.http.url, QUrl(QStringLiteral("https://mcp.example.com:8443/sse?x=1")));
    QCOMPARE(sse.transport.http.headers.value(QStringLiteral("X-Foo")), QStringLiteral("bar"));
    QCOMPARE(sse.transport.toJson().value(QLatin1String("url")).toString(),
             QStringLiteral("https://mcp.example.com:8443/sse?x=1"));
}

void TestServerValidator::readsCredentials()
{
    const ServerDraft bearer = ServerValidator::validateCreate(applyMergePatch(
        json(httpBase), json(R"({"credential": {"type": "bearer", "token": "ghp_secret"}})")));
    QCOMPARE(bearer.credential->type, CredentialType::Bearer);
    QCOMPARE(bearer.credential->secret, QStringLiteral("ghp_secret"));

    const ServerDraft header = ServerValidator::validateCreate(applyMergePatch(
        json(httpBase),
        json(R"({"credential": {"type": "header", "name": "X-Api-Key", "value": "k-123"}})")));
    QCOMPARE(header.credential->type, CredentialType::Header);
    QCOMPARE(header.credential->headerName, QStringLiteral("X-Api-Key"));
    QCOMPARE(header.credential->secret, QStringLiteral("k-123"));
}

void TestServerValidator::validatesNameAndTagHelpers()
{
    QVERIFY(ServerValidator::isValidName(QStringLiteral("github-2")));
    QVERIFY(!ServerValidator::isValidName(QStringLiteral("GitHub")));
    QVERIFY(!ServerValidator::isValidName(QStringLiteral("a\n")));
    QVERIFY(ServerValidator::isValidTag(QStringLiteral("prod.eu_1-a")));
    QVERIFY(!ServerValidator::isValidTag(QStringLiteral("_x")));
}

void TestServerValidator::mergePatchFollowsRfc7396_data()
{
    // The examples of RFC 7396, appendix A.
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QByteArray>("result");
    QTest::newRow("1") << QByteArray(R"({"a":"b"})") << QByteArray(R"({"a":"c"})")
                       << QByteArray(R"({"a":"c"})");
    QTest::newRow("2") << QByteArray(R"({"a":"b"})") << QByteArray(R"({"b":"c"})")
                       << QByteArray(R"({"a":"b","b":"c"})");
    QTest::newRow("3") << QByteArray(R"({"a":"b"})") << QByteArray(R"({"a":null})")
                       << QByteArray(R"({})");
    QTest::newRow("4") << QByteArray(R"({"a":"b","b":"c"})") << QByteArray(R"({"a":null})")
                       << QByteArray(R"({"b":"c"})");
    QTest::newRow("5") << QByteArray(R"({"a":["b"]})") << QByteArray(R"({"a":"c"})")
                       << QByteArray(R"({"a":"c"})");
    QTest::newRow("6") << QByteArray(R"({"a":"c"})") << QByteArray(R"({"a":["b"]})")
                       << QByteArray(R"({"a":["b"]})");
    QTest::newRow("7") << QByteArray(R"({"a":{"b":"c"}})")
                       << QByteArray(R"({"a":{"b":"d","c":null}})")
                       << QByteArray(R"({"a":{"b":"d"}})");
    QTest::newRow("8") << QByteArray(R"({"a":[{"b":"c"}]})") << QByteArray(R"({"a":[1]})")
                       << QByteArray(R"({"a":[1]})");
    QTest::newRow("9") << QByteArray(R"(["a","b"])") << QByteArray(R"(["c","d"])")
                       << QByteArray(R"(["c","d"])");
    QTest::newRow("10") << QByteArray(R"({"a":"b"})") << QByteArray(R"(["c"])")
                        << QByteArray(R"(["c"])");
    QTest::newRow("11") << QByteArray(R"({"a":"foo"})") << QByteArray("null") << QByteArray("null");
    QTest::newRow("12") << QByteArray(R"({"a":"foo"})") << QByteArray(R"("bar")")
                        << QByteArray(R"("bar")");
    QTest::newRow("13") << QByteArray(R"({"e":null})") << QByteArray(R"({"a":1})")
                        << QByteArray(R"({"e":null,"a":1})");
    QTest::newRow("14") << QByteArray(R"([1,2])") << QByteArray(R"({"a":"b","c":null})")
                        << QByteArray(R"({"a":"b"})");
    QTest::newRow("15") << QByteArray(R"({})") << QByteArray(R"({"a":{"bb":{"ccc":null}}})")
                        << QByteArray(R"({"a":{"bb":{}}})");
}

void TestServerValidator::mergePatchFollowsRfc7396()
{
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, patch);
    QFETCH(QByteArray, result);
    QCOMPARE(applyMergePatch(json(target), json(patch)), json(result));
}

void TestServerValidator::patchKeepsUnmentionedFields()
{
    const ServerRecord current = storedStdioRecord();
    const ServerDraft draft
        = ServerValidator::validatePatch(current, json(R"({"displayName": "GitHub Enterprise"})"));
    QCOMPARE(draft.displayName, QStringLiteral("GitHub Enterprise"));
    QCOMPARE(draft.name, current.name);
    QCOMPARE(draft.description, current.description);
    QCOMPARE(draft.transport.stdio.command, current.transport.stdio.command);
    QCOMPARE(draft.transport.stdio.args, current.transport.stdio.args);
    QCOMPARE(draft.transport.stdio.env, current.transport.stdio.env);
    QCOMPARE(draft.transport.stdio.cwd, current.transport.stdio.cwd);
    QCOMPARE(draft.tags, current.tags);
    QCOMPARE(draft.enabled, true);
    // No "credential" in the patch: the stored one stays.
    QVERIFY(!draft.credential.has_value());

    const ServerDraft merged = ServerValidator::validatePatch(
        current, json(R"({"transport": {"env": {"NEW": "1"}}, "tags": ["x"], "enabled": false})"));
    QCOMPARE(merged.transport.stdio.env.size(), 2);
    QCOMPARE(merged.transport.stdio.env.value(QStringLiteral("NEW")), QStringLiteral("1"));
    QCOMPARE(merged.transport.stdio.command, current.transport.stdio.command);
    // Arrays are replaced, not merged.
    QCOMPARE(merged.tags, QStringList {QStringLiteral("x")});
    QCOMPARE(merged.enabled, false);

    const ServerDraft empty = ServerValidator::validatePatch(current, json("{}"));
    QCOMPARE(empty.displayName, current.displayName);
    QVERIFY(!empty.credential.has_value());
}

void TestServerValidator::patchNullRemovesOptionalFields()
{
    const ServerRecord current = storedStdioRecord();
    const ServerDraft draft = ServerValidator::validatePatch(current, json(R"({
        "displayName": null, "description": null, "tags": null, "enabled": null,
        "transport": {"cwd": null, "args": null, "env": {"LOG": null}}})"));
    QCOMPARE(draft.displayName, current.name); // back to its default
    QCOMPARE(draft.description, QString());
    QVERIFY(!draft.description.isNull()); // stored in a NOT NULL column
    QVERIFY(draft.tags.isEmpty());
    QCOMPARE(draft.enabled, true);
    QCOMPARE(draft.transport.stdio.cwd, QString());
    QVERIFY(draft.transport.stdio.args.isEmpty());
    QVERIFY(draft.transport.stdio.env.isEmpty());
    QCOMPARE(draft.transport.stdio.command, current.transport.stdio.command);
}

void TestServerValidator::patchCredentialSemantics()
{
    const ServerRecord current = storedStdioRecord();
    const ServerDraft removed
        = ServerValidator::validatePatch(current, json(R"({"credential": null})"));
    QVERIFY(removed.credential.has_value());
    QCOMPARE(removed.credential->type, CredentialType::None);

    const ServerDraft replaced = ServerValidator::validatePatch(
        current, json(R"({"credential": {"type": "header", "name": "X-Key", "value": "v2"}})"));
    QVERIFY(replaced.credential.has_value());
    QCOMPARE(replaced.credential->type, CredentialType::Header);
    QCOMPARE(replaced.credential->headerName, QStringLiteral("X-Key"));
    QCOMPARE(replaced.credential->secret, QStringLiteral("v2"));

    // A new credential is whole: the stored secret is not merged into it.
    const QJsonValue withoutToken = json(R"({"credential": {"type": "bearer"}})");
    QCOMPARE(errorFields([&] { ServerValidator::validatePatch(current, withoutToken); }),
             QStringList {QStringLiteral("credential.token")});
    // Nulls inside a new credential are dropped like any merge patch null.
    const QJsonValue nullToken = json(R"({"credential": {"type": "bearer", "token": null}})");
    QCOMPARE(errorFields([&] { ServerValidator::validatePatch(current, nullToken); }),
             QStringList {QStringLiteral("credential.token")});
}

void TestServerValidator::patchCanSwitchTransport()
{
    const ServerRecord current = storedStdioRecord();
    // Strict merge patch: stdio members stay unless removed.
    QStringList fields = errorFields([&] {
        ServerValidator::validatePatch(
            current, json(R"({"transport": {"type": "sse", "url": "https://x.example/sse"}})"));
    });
    fields.sort();
    QCOMPARE(fields,
             (QStringList {QStringLiteral("transport.args"), QStringLiteral("transport.command"),
                           QStringLiteral("transport.cwd"), QStringLiteral("transport.env")}));

    const ServerDraft draft = ServerValidator::validatePatch(current, json(R"({"transport": {
        "type": "sse", "url": "https://x.example/sse", "command": null, "args": null, "env": null, "cwd": null}})"));
    QCOMPARE(draft.transport.type, TransportType::Sse);
    QCOMPARE(draft.transport.http.url, QUrl(QStringLiteral("https://x.example/sse")));

    // A record with only the required stdio member needs only that removed.
    ServerRecord bare = current;
    bare.transport.stdio = StdioTransport {QStringLiteral("/bin/x"), {}, {}, {}};
    const ServerDraft switched = ServerValidator::validatePatch(bare, json(R"({"transport": {
        "type": "streamable-http", "url": "http://127.0.0.1:1/mcp", "command": null}})"));
    QCOMPARE(switched.transport.type, TransportType::StreamableHttp);

    // Replacing the whole transport is the other way.
    ServerRecord http = current;
    http.transport = switched.transport;
    const ServerDraft back = ServerValidator::validatePatch(
        http, json(R"({"transport": {"type": "stdio", "command": "/bin/y", "url": null}})"));
    QCOMPARE(back.transport.type, TransportType::Stdio);
    QCOMPARE(back.transport.stdio.command, QStringLiteral("/bin/y"));
}

void TestServerValidator::patchIsValidatedAsAWhole_data()
{
    QTest::addColumn<QByteArray>("patch");
    QTest::addColumn<QStringList>("fields");
    QTest::newRow("not an object") << QByteArray("[]") << QStringList {QStringLiteral("body")};
    QTest::newRow("null") << QByteArray("null") << QStringList {QStringLiteral("body")};
    QTest::newRow("read-only revision")
        << QByteArray(R"({"revision": 4})") << QStringList {QStringLiteral("revision")};
    QTest::newRow("read-only id") << QByteArray(R"({"id": "other"})")
                                  << QStringList {QStringLiteral("id")};
    QTest::newRow("unknown") << QByteArray(R"({"color": "red"})")
                             << QStringList {QStringLiteral("color")};
    QTest::newRow("name removed") << QByteArray(R"({"name": null})")
                                  << QStringList {QStringLiteral("name")};
    QTest::newRow("bad name") << QByteArray(R"({"name": "Nope"})")
                              << QStringList {QStringLiteral("name")};
    QTest::newRow("transport removed")
        << QByteArray(R"({"transport": null})") << QStringList {QStringLiteral("transport")};
    QTest::newRow("command removed") << QByteArray(R"({"transport": {"command": null}})")
                                     << QStringList {QStringLiteral("transport.command")};
    QTest::newRow("transport type removed") << QByteArray(R"({"transport": {"type": null}})")
                                            << QStringList {QStringLiteral("transport.type")};
    QTest::newRow("bad env entry") << QByteArray(R"({"transport": {"env": {"9": "x"}}})")
                                   << QStringList {QStringLiteral("transport.env.9")};
    QTest::newRow("two errors") << QByteArray(R"({"enabled": 0, "tags": ["A"]})")
                                << QStringList {QStringLiteral("tags[0]"),
                                                QStringLiteral("enabled")};
}

void TestServerValidator::patchIsValidatedAsAWhole()
{
    QFETCH(QByteArray, patch);
    QFETCH(QStringList, fields);
    const ServerRecord current = storedStdioRecord();
    QCOMPARE(errorFields([&] { ServerValidator::validatePatch(current, json(patch)); }), fields);
}

QTEST_GUILESS_MAIN(TestServerValidator)
#include "tst_servervalidator.moc"
