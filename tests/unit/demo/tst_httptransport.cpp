// The demo server's Streamable HTTP transport, served in-process on 127.0.0.1 and spoken to with
// QNetworkAccessManager; one test starts the real binary with --http.
#include "httptransport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

using mcpgate::demo::HttpTransport;

namespace {

using Headers = QList<QPair<QByteArray, QByteArray>>;

const QByteArray kAcceptBoth = "application/json, text/event-stream";

struct Reply
{
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QByteArray sessionId;
    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QHash<QByteArray, QByteArray> headers;

    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    int errorCode() const
    {
        return json().value(QLatin1String("error")).toObject().value(QLatin1String("code")).toInt();
    }
    QJsonObject result() const { return json().value(QLatin1String("result")).toObject(); }
    // The JSON-RPC messages of an SSE body, in order.
    QList<QJsonObject> events() const
    {
        QList<QJsonObject> out;
        for (const QByteArray &block : body.split('\n')) {
            if (block.startsWith("data: "))
                out.append(QJsonDocument::fromJson(block.mid(6)).object());
        }
        return out;
    }
};

QJsonObject rpc(const QJsonValue &id, const QString &method, const QJsonObject &params = {})
{
    QJsonObject message {{QStringLiteral("jsonrpc"), QStringLiteral("2.0")},
                         {QStringLiteral("method"), method}};
    if (!id.isUndefined())
        message.insert(QStringLiteral("id"), id);
    if (!params.isEmpty())
        message.insert(QStringLiteral("params"), params);
    return message;
}

QByteArray body(const QJsonObject &message)
{
    return QJsonDocument(message).toJson(QJsonDocument::Compact);
}

QJsonObject statelessMeta(const QString &version = QStringLiteral("2026-07-28"))
{
    return QJsonObject {
        {QStringLiteral("io.modelcontextprotocol/protocolVersion"), version},
        {QStringLiteral("io.modelcontextprotocol/clientCapabilities"), QJsonObject {}}};
}

QString textOf(const QJsonObject &result)
{
    return result.value(QLatin1String("content"))
        .toArray()
        .at(0)
        .toObject()
        .value(QLatin1String("text"))
        .toString();
}

} // namespace

class TestHttpTransport : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<HttpTransport> m_transport;
    QUrl m_url;
    QNetworkAccessManager m_network;

    QNetworkRequest makeRequest(const Headers &headers, const QUrl &url = {}) const
    {
        QNetworkRequest request(url.isEmpty() ? m_url : url);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        for (const auto &header : headers)
            request.setRawHeader(header.first, header.second);
        return request;
    }

    Reply wait(QNetworkReply *reply)
    {
        if (!reply->isFinished()) {
            QEventLoop loop;
            connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
            QTimer::singleShot(20000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        for (const auto &pair : reply->rawHeaderPairs())
            out.headers.insert(pair.first.toLower(), pair.second);
        out.contentType = out.header("content-type");
        out.sessionId = out.header("mcp-session-id");
        reply->deleteLater();
        return out;
    }

    Reply post(const QByteArray &data, const Headers &extra = {},
               const QByteArray &accept = kAcceptBoth)
    {
        Headers headers {{"Content-Type", "application/json"}, {"Accept", accept}};
        headers += extra;
        return wait(m_network.post(makeRequest(headers), data));
    }

    // initialize in a fresh session; returns its id.
    QByteArray openSession(const QString &version = QStringLiteral("2025-06-18"))
    {
        const Reply reply
            = post(body(rpc(1, QStringLiteral("initialize"),
                            {{QStringLiteral("protocolVersion"), version},
                             {QStringLiteral("capabilities"), QJsonObject {}},
                             {QStringLiteral("clientInfo"),
                              QJsonObject {{QStringLiteral("name"), QStringLiteral("t")},
                                           {QStringLiteral("version"), QStringLiteral("1")}}}})));
        if (reply.status != 200 || reply.sessionId.isEmpty())
            qWarning() << "initialize failed" << reply.status << reply.body;
        const Reply initialized = post(
            body(rpc(QJsonValue::Undefined, QStringLiteral("notifications/initialized"))),
            {{"Mcp-Session-Id", reply.sessionId}, {"MCP-Protocol-Version", version.toLatin1()}});
        if (initialized.status != 202)
            qWarning() << "notifications/initialized got" << initialized.status;
        return reply.sessionId;
    }

    Reply stateless(const QString &method, const QJsonObject &params,
                    const Headers &headerOverride = {}, bool useDefaults = true,
                    const QJsonValue &id = 1)
    {
        QJsonObject withMeta = params;
        withMeta.insert(QStringLiteral("_meta"),
                        params.value(QLatin1String("_meta")).toObject().isEmpty()
                            ? statelessMeta()
                            : params.value(QLatin1String("_meta")).toObject());
        Headers headers;
        if (useDefaults) {
            headers << qMakePair(QByteArray("MCP-Protocol-Version"), QByteArray("2026-07-28"))
                    << qMakePair(QByteArray("Mcp-Method"), method.toLatin1());
            const QString name
                = params
                      .value(method == QLatin1String("resources/read") ? QLatin1String("uri")
                                                                       : QLatin1String("name"))
                      .toString();
            if (!name.isEmpty())
                headers << qMakePair(QByteArray("Mcp-Name"), name.toUtf8());
        }
        for (const auto &header : headerOverride) {
            headers.removeIf([&](const auto &h) {
                return h.first.compare(header.first, Qt::CaseInsensitive) == 0;
            });
            if (!header.second.isNull())
                headers << header;
        }
        return post(body(rpc(id, method, withMeta)), headers);
    }

private Q_SLOTS:
    void init()
    {
        m_transport = std::make_unique<HttpTransport>();
        QVERIFY(m_transport->listen(QHostAddress::LocalHost, 0));
        m_url = QUrl(m_transport->endpointUrl());
        QVERIFY(m_url.port() > 0);
        QCOMPARE(m_url.path(), QStringLiteral("/mcp"));
    }
    void cleanup()
    {
        m_network.clearConnectionCache();
        m_transport.reset();
    }

    void sessionLifecycle()
    {
        const Reply init
            = post(body(rpc(1, QStringLiteral("initialize"),
                            {{QStringLiteral("protocolVersion"), QStringLiteral("2025-11-25")}})));
        QCOMPARE(init.status, 200);
        QVERIFY(init.contentType.startsWith("application/json"));
        QCOMPARE(init.result().value(QLatin1String("protocolVersion")).toString(),
                 QStringLiteral("2025-11-25"));
        QVERIFY(init.sessionId.size() >= 32);
        for (char c : init.sessionId)
            QVERIFY(c >= 0x21 && c <= 0x7e);
        QCOMPARE(m_transport->sessionCount(), 1);

        const Headers session {{"Mcp-Session-Id", init.sessionId},
                               {"MCP-Protocol-Version", "2025-11-25"}};
        QCOMPARE(post(body(rpc(QJsonValue::Undefined, QStringLiteral("notifications/initialized"))),
                      session)
                     .status,
                 202);
        const Reply echo
            = post(body(rpc(2, QStringLiteral("tools/call"),
                            {{QStringLiteral("name"), QStringLiteral("echo")},
                             {QStringLiteral("arguments"),
                              QJsonObject {{QStringLiteral("message"), QStringLiteral("hey")}}}})),
                   session);
        QCOMPARE(echo.status, 200);
        QCOMPARE(textOf(echo.result()), QStringLiteral("hey"));
        QCOMPARE(echo.json().value(QLatin1String("id")).toInt(), 2);

        // Without the version header the agreed version is assumed.
        QCOMPARE(
            post(body(rpc(3, QStringLiteral("ping"))), {{"Mcp-Session-Id", init.sessionId}}).status,
            200);

        const Reply ended = wait(m_network.deleteResource(makeRequest(session)));
        QCOMPARE(ended.status, 200);
        QCOMPARE(m_transport->sessionCount(), 0);
        QCOMPARE(post(body(rpc(4, QStringLiteral("ping"))), session).status, 404);
        QCOMPARE(wait(m_network.deleteResource(makeRequest(session))).status, 404);
    }

    void sessionErrors()
    {
        const Reply missing = post(body(rpc(1, QStringLiteral("tools/list"))));
        QCOMPARE(missing.status, 400);
        QCOMPARE(missing.errorCode(), -32600);
        QCOMPARE(post(body(rpc(1, QStringLiteral("tools/list"))),
                      {{"Mcp-Session-Id", "0123456789abcdef"}})
                     .status,
                 404);
        QCOMPARE(wait(m_network.deleteResource(makeRequest({}))).status, 400);

        const QByteArray id = openSession(QStringLiteral("2025-06-18"));
        QCOMPARE(post(body(rpc(2, QStringLiteral("ping"))),
                      {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-03-26"}})
                     .status,
                 400);
        QCOMPARE(post(body(rpc(2, QStringLiteral("ping"))),
                      {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "1999-01-01"}})
                     .status,
                 400);
        QCOMPARE(post(body(rpc(2, QStringLiteral("ping"))),
                      {{"Mcp-Session-Id", id}, {"MCP-Protocol-Version", "2025-06-18"}})
                     .status,
                 200);
        // JSON-RPC errors of a session request travel in a 200 response.
        const Reply unknown
            = post(body(rpc(3, QStringLiteral("no/such"))), {{"Mcp-Session-Id", id}});
        QCOMPARE(unknown.status, 200);
        QCOMPARE(unknown.errorCode(), -32601);
        // A failed initialize opens no session.
        const Reply badInit = post(body(rpc(4, QStringLiteral("initialize"))));
        QCOMPARE(badInit.status, 400);
        QVERIFY(badInit.sessionId.isEmpty());
        QCOMPARE(m_transport->sessionCount(), 1);
    }

    void dropsLeastRecentlyUsedSession()
    {
        m_transport->setMaxSessions(2);
        const QByteArray first = openSession();
        const QByteArray second = openSession();
        // Using the first makes the second the least recently used.
        QCOMPARE(post(body(rpc(1, QStringLiteral("ping"))), {{"Mcp-Session-Id", first}}).status,
                 200);
        const QByteArray third = openSession();
        QCOMPARE(m_transport->sessionCount(), 2);
        QCOMPARE(post(body(rpc(2, QStringLiteral("ping"))), {{"Mcp-Session-Id", second}}).status,
                 404);
        QCOMPARE(post(body(rpc(3, QStringLiteral("ping"))), {{"Mcp-Session-Id", first}}).status,
                 200);
        QCOMPARE(post(body(rpc(4, QStringLiteral("ping"))), {{"Mcp-Session-Id", third}}).status,
                 200);
    }

    void httpLevelRefusals()
    {
        QCOMPARE(wait(m_network.get(makeRequest({{"Accept", "text/event-stream"}}))).status, 405);
        const Reply put
            = wait(m_network.sendCustomRequest(makeRequest({}), "PUT", QByteArray("{}")));
        QCOMPARE(put.status, 405);
        QVERIFY(put.header("allow").contains("POST"));
        QUrl other = m_url;
        other.setPath(QStringLiteral("/other"));
        QCOMPARE(wait(m_network.post(makeRequest({{"Content-Type", "application/json"}}, other),
                                     QByteArray("{}")))
                     .status,
                 404);

        QCOMPARE(
            post(body(rpc(1, QStringLiteral("initialize"))), {{"Origin", "https://evil.example"}})
                .status,
            403);
        QCOMPARE(
            post(body(rpc(1, QStringLiteral("initialize"),
                          {{QStringLiteral("protocolVersion"), QStringLiteral("2025-06-18")}})),
                 {{"Origin", "http://localhost:6274"}})
                .status,
            200);

        const Reply wrongType = wait(m_network.post(makeRequest({{"Content-Type", "text/plain"}}),
                                                    body(rpc(1, QStringLiteral("ping")))));
        QCOMPARE(wrongType.status, 415);

        const Reply garbage = post("{not json");
        QCOMPARE(garbage.status, 400);
        QCOMPARE(garbage.errorCode(), -32700);
        QVERIFY(!garbage.json().contains(QLatin1String("id")));
        QCOMPARE(post("[5, 6]").status, 400);
    }

    void progressStreamsAsSse()
    {
        const QByteArray id = openSession(QStringLiteral("2025-06-18"));
        const QByteArray call = body(
            rpc(7, QStringLiteral("tools/call"),
                {{QStringLiteral("name"), QStringLiteral("slow")},
                 {QStringLiteral("arguments"),
                  QJsonObject {{QStringLiteral("seconds"), 0.2}, {QStringLiteral("steps"), 3}}},
                 {QStringLiteral("_meta"),
                  QJsonObject {{QStringLiteral("progressToken"), QStringLiteral("t")}}}}));
        const Reply streamed = post(call, {{"Mcp-Session-Id", id}});
        QCOMPARE(streamed.status, 200);
        QVERIFY(streamed.contentType.startsWith("text/event-stream"));
        QCOMPARE(streamed.header("x-accel-buffering"), QByteArray("no"));
        const QList<QJsonObject> events = streamed.events();
        QCOMPARE(events.size(), 4);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(events.at(i).value(QLatin1String("method")).toString(),
                     QStringLiteral("notifications/progress"));
            QCOMPARE(events.at(i)
                         .value(QLatin1String("params"))
                         .toObject()
                         .value(QLatin1String("progress"))
                         .toInt(),
                     i + 1);
        }
        QCOMPARE(events.at(3).value(QLatin1String("id")).toInt(), 7);
        QCOMPARE(textOf(events.at(3).value(QLatin1String("result")).toObject()),
                 QStringLiteral("done after 3 steps"));

        // A client that takes only JSON gets the answer alone.
        const Reply plain = post(call, {{"Mcp-Session-Id", id}}, "application/json");
        QCOMPARE(plain.status, 200);
        QVERIFY(plain.contentType.startsWith("application/json"));
        QCOMPARE(textOf(plain.result()), QStringLiteral("done after 3 steps"));
    }

    void batchesOnlyIn20250326()
    {
        const QByteArray old = openSession(QStringLiteral("2025-03-26"));
        const QByteArray batch = "[" + body(rpc(1, QStringLiteral("ping"))) + ","
            + body(rpc(QJsonValue::Undefined, QStringLiteral("notifications/x"))) + ","
            + body(rpc(2, QStringLiteral("tools/list"))) + "]";
        const Reply answered = post(batch, {{"Mcp-Session-Id", old}});
        QCOMPARE(answered.status, 200);
        const QJsonArray responses = QJsonDocument::fromJson(answered.body).array();
        QCOMPARE(responses.size(), 2);
        const QByteArray onlyNotifications
            = "[" + body(rpc(QJsonValue::Undefined, QStringLiteral("notifications/x"))) + "]";
        QCOMPARE(post(onlyNotifications, {{"Mcp-Session-Id", old}}).status, 202);

        const QByteArray current = openSession(QStringLiteral("2025-06-18"));
        const Reply refused = post(batch, {{"Mcp-Session-Id", current}});
        QCOMPARE(refused.status, 400);
        QCOMPARE(refused.errorCode(), -32600);
    }

    void statelessRequests()
    {
        const Reply discover = stateless(QStringLiteral("server/discover"), {});
        QCOMPARE(discover.status, 200);
        QVERIFY(discover.result()
                    .value(QLatin1String("supportedVersions"))
                    .toArray()
                    .contains(QStringLiteral("2026-07-28")));
        QVERIFY(discover.sessionId.isEmpty());

        const Reply echo
            = stateless(QStringLiteral("tools/call"),
                        {{QStringLiteral("name"), QStringLiteral("echo")},
                         {QStringLiteral("arguments"),
                          QJsonObject {{QStringLiteral("message"), QStringLiteral("s")}}}});
        QCOMPARE(echo.status, 200);
        QCOMPARE(textOf(echo.result()), QStringLiteral("s"));
        QCOMPARE(echo.result().value(QLatin1String("resultType")).toString(),
                 QStringLiteral("complete"));

        // Non-ASCII names travel base64-encoded in Mcp-Name.
        const Reply encoded
            = stateless(QStringLiteral("prompts/get"),
                        {{QStringLiteral("name"), QStringLiteral("greeting")},
                         {QStringLiteral("arguments"),
                          QJsonObject {{QStringLiteral("name"), QStringLiteral("x")}}}},
                        {{"Mcp-Name", "=?base64?" + QByteArray("greeting").toBase64() + "?="}});
        QCOMPARE(encoded.status, 200);

        const Reply read = stateless(QStringLiteral("resources/read"),
                                     {{QStringLiteral("uri"), QStringLiteral("demo://readme")}});
        QCOMPARE(read.status, 200);
        QVERIFY(read.result().contains(QLatin1String("ttlMs")));

        // Notifications need no answer; nothing of this revision is sent by clients over HTTP,
        // but the transport still accepts one.
        QJsonObject note = rpc(QJsonValue::Undefined, QStringLiteral("notifications/x"),
                               {{QStringLiteral("_meta"), statelessMeta()}});
        QCOMPARE(post(body(note),
                      {{"MCP-Protocol-Version", "2026-07-28"}, {"Mcp-Method", "notifications/x"}})
                     .status,
                 202);

        // A session header on a stateless request is ignored, and none is minted.
        const Reply ignored
            = stateless(QStringLiteral("tools/list"), {}, {{"Mcp-Session-Id", "whatever"}});
        QCOMPARE(ignored.status, 200);
        QVERIFY(ignored.sessionId.isEmpty());
        QCOMPARE(m_transport->sessionCount(), 0);
        QCOMPARE(m_transport->statelessCallCount(), 0);
    }

    void statelessValidation_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QJsonObject>("params");
        QTest::addColumn<Headers>("headers");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("code");
        const QJsonObject echo {{QStringLiteral("name"), QStringLiteral("echo")},
                                {QStringLiteral("arguments"),
                                 QJsonObject {{QStringLiteral("message"), QStringLiteral("m")}}}};
        QTest::newRow("no version header")
            << QStringLiteral("tools/list") << QJsonObject {}
            << Headers {{"MCP-Protocol-Version", QByteArray()}} << 400 << -32020;
        QTest::newRow("version header differs")
            << QStringLiteral("tools/list") << QJsonObject {}
            << Headers {{"MCP-Protocol-Version", "2025-11-25"}} << 400 << -32020;
        QTest::newRow("no method header")
            << QStringLiteral("tools/list") << QJsonObject {}
            << Headers {{"Mcp-Method", QByteArray()}} << 400 << -32020;
        QTest::newRow("method header differs")
            << QStringLiteral("tools/list") << QJsonObject {}
            << Headers {{"Mcp-Method", "prompts/list"}} << 400 << -32020;
        QTest::newRow("no name header") << QStringLiteral("tools/call") << echo
                                        << Headers {{"Mcp-Name", QByteArray()}} << 400 << -32020;
        QTest::newRow("name header differs") << QStringLiteral("tools/call") << echo
                                             << Headers {{"Mcp-Name", "add"}} << 400 << -32020;
        QTest::newRow("unsupported version")
            << QStringLiteral("tools/list")
            << QJsonObject {{QStringLiteral("_meta"), statelessMeta(QStringLiteral("2099-01-01"))}}
            << Headers {{"MCP-Protocol-Version", "2099-01-01"}} << 400 << -32022;
        QJsonObject noCaps = statelessMeta();
        noCaps.remove(QStringLiteral("io.modelcontextprotocol/clientCapabilities"));
        QTest::newRow("missing capabilities")
            << QStringLiteral("tools/list") << QJsonObject {{QStringLiteral("_meta"), noCaps}}
            << Headers {} << 400 << -32602;
        QTest::newRow("unknown method")
            << QStringLiteral("no/such") << QJsonObject {} << Headers {} << 404 << -32601;
        QTest::newRow("unknown tool is a plain error")
            << QStringLiteral("tools/call")
            << QJsonObject {{QStringLiteral("name"), QStringLiteral("zzz")}} << Headers {} << 200
            << -32602;
    }
    void statelessValidation()
    {
        QFETCH(QString, method);
        QFETCH(QJsonObject, params);
        QFETCH(Headers, headers);
        QFETCH(int, status);
        QFETCH(int, code);
        const Reply reply = stateless(method, params, headers);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        if (code == -32022)
            QVERIFY(reply.json()
                        .value(QLatin1String("error"))
                        .toObject()
                        .value(QLatin1String("data"))
                        .toObject()
                        .contains(QLatin1String("supported")));
    }

    void statelessDisconnectCancels()
    {
        QJsonObject params {
            {QStringLiteral("name"), QStringLiteral("slow")},
            {QStringLiteral("arguments"),
             QJsonObject {{QStringLiteral("seconds"), 10}, {QStringLiteral("steps"), 100}}}};
        QJsonObject meta = statelessMeta();
        meta.insert(QStringLiteral("progressToken"), 5);
        params.insert(QStringLiteral("_meta"), meta);
        QNetworkRequest request = makeRequest({{"Content-Type", "application/json"},
                                               {"Accept", kAcceptBoth},
                                               {"MCP-Protocol-Version", "2026-07-28"},
                                               {"Mcp-Method", "tools/call"},
                                               {"Mcp-Name", "slow"}});
        QNetworkReply *reply
            = m_network.post(request, body(rpc(1, QStringLiteral("tools/call"), params)));
        QSignalSpy ready(reply, &QNetworkReply::readyRead);
        QVERIFY(ready.wait(10000));
        QVERIFY(reply->header(QNetworkRequest::ContentTypeHeader)
                    .toString()
                    .startsWith(QLatin1String("text/event-stream")));
        QVERIFY(reply->readAll().contains("notifications/progress"));
        QCOMPARE(m_transport->statelessCallCount(), 1);
        reply->abort();
        reply->deleteLater();
        QTRY_COMPARE_WITH_TIMEOUT(m_transport->statelessCallCount(), 0, 5000);
    }

    void listensFromTheBinary()
    {
        QProcess process;
        process.start(QStringLiteral(MCPGATE_BINARY_DIR "/daemon/demo/mcpgate-demo-server"),
                      {QStringLiteral("--http"), QStringLiteral("127.0.0.1:0")});
        QVERIFY(process.waitForStarted(10000));
        QVERIFY(process.waitForReadyRead(10000));
        const QString line = QString::fromUtf8(process.readLine()).trimmed();
        const QRegularExpressionMatch match
            = QRegularExpression(
                  QStringLiteral("^listening on (http://127\\.0\\.0\\.1:(\\d+)/mcp)$"))
                  .match(line);
        QVERIFY2(match.hasMatch(), qPrintable(line));
        QVERIFY(match.captured(2).toInt() > 0);
        m_url = QUrl(match.captured(1));
        const Reply init
            = post(body(rpc(1, QStringLiteral("initialize"),
                            {{QStringLiteral("protocolVersion"), QStringLiteral("2025-03-26")}})));
        QCOMPARE(init.status, 200);
        QVERIFY(!init.sessionId.isEmpty());
        QCOMPARE(init.result().value(QLatin1String("protocolVersion")).toString(),
                 QStringLiteral("2025-03-26"));
        process.kill();
        process.waitForFinished(5000);
    }
};

QTEST_GUILESS_MAIN(TestHttpTransport)
#include "tst_httptransport.moc"
