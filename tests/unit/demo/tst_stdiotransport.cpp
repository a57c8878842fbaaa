// The mcpgate-demo-server binary over stdio: started with QProcess, spoken to line by line.
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTest>

#include <mcpgate/version.h>

namespace {

const QString kBinary = QStringLiteral(MCPGATE_BINARY_DIR "/daemon/demo/mcpgate-demo-server");

// A line-oriented client for the server's stdin/stdout; checks that every stdout line is one
// JSON object.
class StdioClient
{
public:
    StdioClient()
    {
        m_process.setProgram(kBinary);
        m_process.setReadChannel(QProcess::StandardOutput);
        m_process.start();
    }
    ~StdioClient()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    QProcess &process() { return m_process; }
    bool started() { return m_process.waitForStarted(10000); }

    void writeRaw(const QByteArray &bytes) { m_process.write(bytes); }
    void send(const QJsonObject &message)
    {
        writeRaw(QJsonDocument(message).toJson(QJsonDocument::Compact) + '\n');
    }

    // The next stdout line as raw bytes (without newline); empty on timeout.
    QByteArray nextLine(int timeoutMs = 10000)
    {
        QElapsedTimer clock;
        clock.start();
        while (!m_process.canReadLine()) {
            const int left = timeoutMs - int(clock.elapsed());
            if (left <= 0 || !m_process.waitForReadyRead(left))
                break;
        }
        if (!m_process.canReadLine())
            return {};
        QByteArray line = m_process.readLine();
        line.chop(1);
        return line;
    }
    QJsonObject next(int timeoutMs = 10000)
    {
        const QByteArray line = nextLine(timeoutMs);
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning() << "not one JSON object on stdout:" << line.left(200);
            return {};
        }
        const QJsonObject object = document.object();
        if (object.value(QLatin1String("jsonrpc")).toString() != QLatin1String("2.0"))
            qWarning() << "not JSON-RPC 2.0:" << line.left(200);
        return object;
    }
    // Sends a request and returns its response, keeping the notifications that came first.
    QJsonObject request(const QJsonValue &id, const QString &method, const QJsonObject &params = {})
    {
        QJsonObject message {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                             {QStringLiteral("id"), id},
                             {QStringLiteral("method"), method}};
        if (!params.isEmpty())
            message.insert(QStringLiteral("params"), params);
        send(message);
        for (;;) {
            const QJsonObject reply = next();
            if (reply.isEmpty() || reply.contains(QLatin1String("id")))
                return reply;
            notifications.append(reply);
        }
    }
    void notify(const QString &method, const QJsonObject &params = {})
    {
        QJsonObject message {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                             {QStringLiteral("method"), method}};
        if (!params.isEmpty())
            message.insert(QStringLiteral("params"), params);
        send(message);
    }
    QJsonObject initialize(const QString &version)
    {
        const QJsonObject reply
            = request(0, QStringLiteral("initialize"),
                      {{QStringLiteral("protocolVersion"), version},
                       {QStringLiteral("capabilities"), QJsonObject {}},
                       {QStringLiteral("clientInfo"),
                        QJsonObject {{QStringLiteral("name"), QStringLiteral("tst")},
                                     {QStringLiteral("version"), QStringLiteral("1")}}}});
        notify(QStringLiteral("notifications/initialized"));
        return reply;
    }
    QJsonObject callTool(const QJsonValue &id, const QString &tool, const QJsonObject &arguments,
                         const QJsonObject &meta = {})
    {
        QJsonObject params {{QStringLiteral("name"), tool},
                            {QStringLiteral("arguments"), arguments}};
        if (!meta.isEmpty())
            params.insert(QStringLiteral("_meta"), meta);
        return request(id, QStringLiteral("tools/call"), params);
    }

    QList<QJsonObject> notifications;

private:
    QProcess m_process;
};

QJsonObject resultOf(const QJsonObject &response)
{
    return response.value(QLatin1String("result")).toObject();
}
int errorCodeOf(const QJsonObject &response)
{
    return response.value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt();
}
QString textOf(const QJsonObject &response)
{
    return resultOf(response)
        .value(QLatin1String("content"))
        .toArray()
        .at(0)
        .toObject()
        .value(QLatin1String("text"))
        .toString();
}

} // namespace

class TestStdioTransport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initializeAndList()
    {
        StdioClient client;
        QVERIFY(client.started());
        const QJsonObject init = client.initialize(QStringLiteral("2025-06-18"));
        QCOMPARE(init.value(QLatin1String("id")).toInt(), 0);
        const QJsonObject result = resultOf(init);
        QCOMPARE(result.value(QLatin1String("protocolVersion")).toString(),
                 QStringLiteral("2025-06-18"));
        QCOMPARE(result.value(QLatin1String("serverInfo"))
                     .toObject()
                     .value(QLatin1String("name"))
                     .toString(),
                 QStringLiteral("mcpgate-demo-server"));
        QCOMPARE(result.value(QLatin1String("serverInfo"))
                     .toObject()
                     .value(QLatin1String("version"))
                     .toString(),
                 QStringLiteral(MCPGATE_VERSION));
        QVERIFY(result.value(QLatin1String("capabilities"))
                    .toObject()
                    .value(QLatin1String("tools"))
                    .toObject()
                    .value(QLatin1String("listChanged"))
                    .toBool());

        const QJsonArray tools = resultOf(client.request(1, QStringLiteral("tools/list")))
                                     .value(QLatin1String("tools"))
                                     .toArray();
        QStringList names;
        for (const QJsonValue &tool : tools) {
            names << tool.toObject().value(QLatin1String("name")).toString();
            QCOMPARE(tool.toObject()
                         .value(QLatin1String("inputSchema"))
                         .toObject()
                         .value(QLatin1String("type"))
                         .toString(),
                     QStringLiteral("object"));
        }
        QCOMPARE(
            names,
            (QStringList {QStringLiteral("echo"), QStringLiteral("add"), QStringLiteral("slow"),
                          QStringLiteral("fail"), QStringLiteral("big")}));
    }

    void everyTool()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        QCOMPARE(
            textOf(client.callTool(1, QStringLiteral("echo"),
                                   {{QStringLiteral("message"), QStringLiteral("line\nbreak ü")}})),
            QStringLiteral("line\nbreak ü"));

        const QJsonObject sum = client.callTool(
            2, QStringLiteral("add"), {{QStringLiteral("a"), 2}, {QStringLiteral("b"), 3.5}});
        QCOMPARE(textOf(sum), QStringLiteral("5.5"));
        QCOMPARE(resultOf(sum)
                     .value(QLatin1String("structuredContent"))
                     .toObject()
                     .value(QLatin1String("sum"))
                     .toDouble(),
                 5.5);

        const QJsonObject failed = client.callTool(
            3, QStringLiteral("fail"), {{QStringLiteral("message"), QStringLiteral("nope")}});
        QVERIFY(resultOf(failed).value(QLatin1String("isError")).toBool());
        QCOMPARE(textOf(failed), QStringLiteral("nope"));

        // A large message still arrives as exactly one line.
        const QJsonObject big
            = client.callTool(4, QStringLiteral("big"), {{QStringLiteral("kilobytes"), 2048}});
        QCOMPARE(textOf(big).size(), 2048 * 1024);

        const QJsonObject slow
            = client.callTool(5, QStringLiteral("slow"),
                              {{QStringLiteral("seconds"), 0}, {QStringLiteral("steps"), 2}});
        QCOMPARE(textOf(slow), QStringLiteral("done after 2 steps"));
        QVERIFY(client.notifications.isEmpty()); // no progress token, no progress

        const QJsonObject unknown = client.callTool(6, QStringLiteral("nope"), {});
        QCOMPARE(errorCodeOf(unknown), -32602);
        QCOMPARE(unknown.value(QLatin1String("id")).toInt(), 6);
        QCOMPARE(errorCodeOf(client.callTool(7, QStringLiteral("add"), {{QStringLiteral("a"), 1}})),
                 -32602);
    }

    void argumentErrorsBecomeToolErrorsFrom20251125()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-11-25"));
        const QJsonObject reply
            = client.callTool(1, QStringLiteral("add"), {{QStringLiteral("a"), 1}});
        QVERIFY(resultOf(reply).value(QLatin1String("isError")).toBool());
        QVERIFY(textOf(reply).contains(QLatin1String("'b'")));
    }

    void slowProgressAndCancellation()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        const QJsonObject done
            = client.callTool(QStringLiteral("p1"), QStringLiteral("slow"),
                              {{QStringLiteral("seconds"), 0.2}, {QStringLiteral("steps"), 4}},
                              {{QStringLiteral("progressToken"), QStringLiteral("tok")}});
        QCOMPARE(textOf(done), QStringLiteral("done after 4 steps"));
        QCOMPARE(client.notifications.size(), 4);
        double last = 0;
        for (const QJsonObject &n : std::as_const(client.notifications)) {
            QCOMPARE(n.value(QLatin1String("method")).toString(),
                     QStringLiteral("notifications/progress"));
            const QJsonObject params = n.value(QLatin1String("params")).toObject();
            QCOMPARE(params.value(QLatin1String("progressToken")).toString(),
                     QStringLiteral("tok"));
            QVERIFY(params.value(QLatin1String("progress")).toDouble() > last);
            last = params.value(QLatin1String("progress")).toDouble();
            QCOMPARE(params.value(QLatin1String("total")).toInt(), 4);
        }

        // Cancel after the first progress step: no further progress, no result.
        client.notifications.clear();
        client.send({{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                     {QStringLiteral("id"), 42},
                     {QStringLiteral("method"), QStringLiteral("tools/call")},
                     {QStringLiteral("params"),
                      QJsonObject {{QStringLiteral("name"), QStringLiteral("slow")},
                                   {QStringLiteral("arguments"),
                                    QJsonObject {{QStringLiteral("seconds"), 1},
                                                 {QStringLiteral("steps"), 10}}},
                                   {QStringLiteral("_meta"),
                                    QJsonObject {{QStringLiteral("progressToken"), 99}}}}}});
        const QJsonObject first = client.next();
        QCOMPARE(first.value(QLatin1String("params"))
                     .toObject()
                     .value(QLatin1String("progressToken"))
                     .toInt(),
                 99);
        client.notify(QStringLiteral("notifications/cancelled"),
                      {{QStringLiteral("requestId"), 42},
                       {QStringLiteral("reason"), QStringLiteral("test")}});
        // Anything still in flight from before the cancellation arrives first; then silence.
        QTest::qWait(1500);
        const QJsonObject ping = client.request(43, QStringLiteral("ping"));
        QCOMPARE(ping.value(QLatin1String("id")).toInt(), 43);
        for (const QJsonObject &n : std::as_const(client.notifications))
            QVERIFY(
                n.value(QLatin1String("params")).toObject().value(QLatin1String("progress")).toInt()
                <= 2);
        QVERIFY(client.notifications.size() <= 1); // at most one step raced the cancellation
    }

    void resourcesAndPrompts()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        const QJsonArray resources = resultOf(client.request(1, QStringLiteral("resources/list")))
                                         .value(QLatin1String("resources"))
                                         .toArray();
        QCOMPARE(resources.size(), 1);
        QCOMPARE(resources.at(0).toObject().value(QLatin1String("uri")).toString(),
                 QStringLiteral("demo://readme"));
        const QJsonObject read
            = client.request(2, QStringLiteral("resources/read"),
                             {{QStringLiteral("uri"), QStringLiteral("demo://readme")}});
        const QJsonObject content
            = resultOf(read).value(QLatin1String("contents")).toArray().at(0).toObject();
        QCOMPARE(content.value(QLatin1String("mimeType")).toString(),
                 QStringLiteral("text/markdown"));
        QVERIFY(content.value(QLatin1String("text")).toString().contains(QLatin1String("`echo`")));
        QCOMPARE(errorCodeOf(
                     client.request(3, QStringLiteral("resources/read"),
                                    {{QStringLiteral("uri"), QStringLiteral("demo://missing")}})),
                 -32002);

        const QJsonArray prompts = resultOf(client.request(4, QStringLiteral("prompts/list")))
                                       .value(QLatin1String("prompts"))
                                       .toArray();
        QCOMPARE(prompts.at(0).toObject().value(QLatin1String("name")).toString(),
                 QStringLiteral("greeting"));
        const QJsonObject got
            = client.request(5, QStringLiteral("prompts/get"),
                             {{QStringLiteral("name"), QStringLiteral("greeting")},
                              {QStringLiteral("arguments"),
                               QJsonObject {{QStringLiteral("name"), QStringLiteral("Grace")}}}});
        QVERIFY(QJsonDocument(resultOf(got)).toJson().contains("Grace"));
        QCOMPARE(
            errorCodeOf(client.request(6, QStringLiteral("prompts/get"),
                                       {{QStringLiteral("name"), QStringLiteral("greeting")}})),
            -32602);
    }

    void protocolErrors()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        QCOMPARE(errorCodeOf(client.request(1, QStringLiteral("no/such/method"))), -32601);

        client.writeRaw("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\n");
        const QJsonObject parseError = client.next();
        QCOMPARE(errorCodeOf(parseError), -32700);
        QVERIFY(!parseError.contains(QLatin1String("id")));

        client.writeRaw("{\"jsonrpc\":\"1.0\",\"id\":3,\"method\":\"ping\"}\n");
        const QJsonObject invalid = client.next();
        QCOMPARE(errorCodeOf(invalid), -32600);
        QCOMPARE(invalid.value(QLatin1String("id")).toInt(), 3);

        client.writeRaw(
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\",\"params\":{\"a\":\"\x01\"}}\n");
        QCOMPARE(errorCodeOf(client.next()), -32700);

        // A batch in a revision without batches is refused as a whole.
        client.writeRaw("[{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\"}]\n");
        const QJsonObject refused = client.next();
        QCOMPARE(errorCodeOf(refused), -32600);

        // The server is still fine afterwards.
        QCOMPARE(client.request(6, QStringLiteral("ping")).value(QLatin1String("id")).toInt(), 6);
    }

    void framing()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-03-26"));
        // One message in pieces, CRLF ending, blank lines and two messages in one write.
        client.writeRaw("{\"jsonrpc\":\"2.0\",");
        client.process().waitForBytesWritten();
        QTest::qWait(100);
        client.writeRaw("\"id\":1,\"method\":\"ping\"}\r\n\n\n{\"jsonrpc\":\"2.0\",\"id\":2,"
                        "\"method\":\"ping\"}\n");
        QCOMPARE(client.next().value(QLatin1String("id")).toInt(), 1);
        QCOMPARE(client.next().value(QLatin1String("id")).toInt(), 2);

        // 2025-03-26 has batches: one array answers the requests of one array.
        client.writeRaw(
            "[{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\"},{\"jsonrpc\":\"2.0\",\"method\":"
            "\"notifications/x\"},"
            "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/"
            "call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"message\":\"b\"}}},7]\n");
        const QByteArray line = client.nextLine();
        const QJsonArray batch = QJsonDocument::fromJson(line).array();
        QCOMPARE(batch.size(), 3);
        QSet<int> ids;
        int invalid = 0;
        for (const QJsonValue &v : batch) {
            if (v.toObject().contains(QLatin1String("id")))
                ids.insert(v.toObject().value(QLatin1String("id")).toInt());
            if (errorCodeOf(v.toObject()) == -32600)
                ++invalid;
        }
        QCOMPARE(ids, (QSet<int> {3, 4}));
        QCOMPARE(invalid, 1);
    }

    void overlongLineIsSkipped()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        QByteArray huge = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"p\":\"";
        huge += QByteArray(9 * 1024 * 1024, 'a');
        huge += "\"}}\n";
        client.writeRaw(huge);
        const QJsonObject error = client.next(20000);
        QCOMPARE(errorCodeOf(error), -32600);
        QCOMPARE(client.request(2, QStringLiteral("ping")).value(QLatin1String("id")).toInt(), 2);
    }

    void statelessRequestsWithoutInitialize()
    {
        StdioClient client;
        QVERIFY(client.started());
        const QJsonObject meta {
            {QStringLiteral("io.modelcontextprotocol/protocolVersion"),
             QStringLiteral("2026-07-28")},
            {QStringLiteral("io.modelcontextprotocol/clientCapabilities"), QJsonObject {}}};
        const QJsonObject discover = client.request(1, QStringLiteral("server/discover"),
                                                    {{QStringLiteral("_meta"), meta}});
        QVERIFY(resultOf(discover)
                    .value(QLatin1String("supportedVersions"))
                    .toArray()
                    .contains(QStringLiteral("2026-07-28")));
        QCOMPARE(resultOf(discover).value(QLatin1String("resultType")).toString(),
                 QStringLiteral("complete"));
        const QJsonObject echo = client.callTool(
            2, QStringLiteral("echo"), {{QStringLiteral("message"), QStringLiteral("x")}}, meta);
        QCOMPARE(textOf(echo), QStringLiteral("x"));
        // An old client that never initializes gets an error, not silence.
        QCOMPARE(errorCodeOf(client.request(3, QStringLiteral("tools/list"))), -32602);
    }

    void exitsOnEndOfInput()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.initialize(QStringLiteral("2025-06-18"));
        // The last message may lack its newline.
        client.writeRaw("{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"ping\"}");
        client.process().closeWriteChannel();
        QVERIFY(client.process().waitForFinished(5000));
        QCOMPARE(client.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(client.process().exitCode(), 0);
        QCOMPARE(client.next().value(QLatin1String("id")).toInt(), 9);
        QVERIFY(client.process().readAllStandardOutput().isEmpty());
    }

    void logsOnlyToStderr()
    {
        StdioClient client;
        QVERIFY(client.started());
        client.writeRaw("not json\n");
        QCOMPARE(errorCodeOf(client.next()), -32700);
        client.process().closeWriteChannel();
        QVERIFY(client.process().waitForFinished(5000));
        QVERIFY(client.process().readAllStandardOutput().isEmpty());
    }

    void commandLine()
    {
        QProcess version;
        version.start(kBinary, {QStringLiteral("--version")});
        QVERIFY(version.waitForFinished(10000));
        QCOMPARE(version.exitCode(), 0);
        QVERIFY(version.readAllStandardOutput().contains(MCPGATE_VERSION));

        QProcess help;
        help.start(kBinary, {QStringLiteral("--help")});
        QVERIFY(help.waitForFinished(10000));
        QCOMPARE(help.exitCode(), 0);
        QVERIFY(help.readAllStandardOutput().contains("--http"));

        QProcess bad;
        bad.start(kBinary, {QStringLiteral("--http"), QStringLiteral("nonsense")});
        QVERIFY(bad.waitForFinished(10000));
        QCOMPARE(bad.exitCode(), 2);
        QVERIFY(bad.readAllStandardOutput().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestStdioTransport)
#include "tst_stdiotransport.moc"
