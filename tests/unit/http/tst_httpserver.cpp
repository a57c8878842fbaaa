// The HTTP/1.1 server core against raw sockets: ordering, limits, timeouts and failure paths.
#include "http/apierror.h"
#include "http/httpserver.h"

#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace mcpgate::http;

namespace {

struct ParsedResponse
{
    int status = 0;
    HttpHeaders headers;
    QByteArray body;
};

// Parses one response from the front of `buffer`; returns false until it is complete.
bool takeResponse(QByteArray &buffer, ParsedResponse &out, bool headRequest = false)
{
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = buffer.left(headEnd).split('\n');
    ParsedResponse response;
    response.status = lines.first().split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        response.headers.add(line.left(colon), line.mid(colon + 1).trimmed());
    }
    qsizetype position = headEnd + 4;
    if (!headRequest && response.headers.value("Transfer-Encoding") == "chunked") {
        while (true) {
            const qsizetype lineEnd = buffer.indexOf("\r\n", position);
            if (lineEnd < 0)
                return false;
            bool ok = false;
            const qsizetype size = buffer.mid(position, lineEnd - position).toLongLong(&ok, 16);
            if (!ok || buffer.size() < lineEnd + 2 + size + 2)
                return false;
            response.body += buffer.mid(lineEnd + 2, size);
            position = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
    } else if (!headRequest && response.headers.contains("Content-Length")) {
        const qsizetype length = response.headers.value("Content-Length").toLongLong();
        if (buffer.size() < position + length)
            return false;
        response.body = buffer.mid(position, length);
        position += length;
    }
    buffer.remove(0, position);
    out = response;
    return true;
}

class Client
{
public:
    explicit Client(quint16 port) { m_socket.connectToHost(QHostAddress::LocalHost, port); }
    QTcpSocket &socket() { return m_socket; }
    bool connected()
    {
        return QTest::qWaitFor([&] { return m_socket.state() == QAbstractSocket::ConnectedState; },
                               5000);
    }
    void send(const QByteArray &bytes)
    {
        QVERIFY(connected());
        m_socket.write(bytes);
        m_socket.flush();
    }
    // Waits (running the event loop, so the in-process server works) for one response.
    bool read(ParsedResponse &response, int timeoutMs = 5000, bool head = false)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return takeResponse(m_buffer, response, head);
            },
            timeoutMs);
    }
    bool waitClosed(int timeoutMs = 5000)
    {
        return QTest::qWaitFor(
            [&] {
                m_buffer += m_socket.readAll();
                return m_socket.state() == QAbstractSocket::UnconnectedState;
            },
            timeoutMs);
    }
    QByteArray &buffer() { return m_buffer; }

private:
    QTcpSocket m_socket;
    QByteArray m_buffer;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: test\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void plainGetCarriesRequestIdAndLength();
    void clientRequestIdIsEchoedWhenPlain();
    void pipelinedResponsesKeepRequestOrder();
    void oversizedBodyIsRefusedBeforeItIsSent();
    void oversizedChunkedBodyIsRefused();
    void oversizedHeadIs431();
    void slowHeadTimesOutWith408();
    void idleKeepAliveConnectionIsClosed();
    void expectContinueGetsInterimResponse();
    void unknownExpectationIs417();
    void headHasNoBody();
    void chunkedUploadIsDecoded();
    void malformedRequestIs400();
    void streamedResponseIsChunked();
    void clientDisconnectMidStreamIsSafe();
    void respondingAfterClientLeftIsSafe();
    void thousandSequentialKeepAliveRequests();
    void connectionLimitAnswers503();
    void http10ClosesUnlessKeepAlive();
    void shutdownFinishesInFlightWork();
    void tlsWhenConfigured();

private:
    void startServer(const HttpServerLimits &limits = {});
    void handle(const ExchangePtr &exchange);

    std::unique_ptr<HttpServer> m_server;
    QList<ExchangePtr> m_held;
    int m_streamClosedCalls = 0;
    bool m_lateWriteRefused = false;
};

void TestHttpServer::init()
{
    m_held.clear();
    m_streamClosedCalls = 0;
    m_lateWriteRefused = false;
}

void TestHttpServer::cleanup()
{
    m_server.reset();
    m_held.clear();
}

void TestHttpServer::startServer(const HttpServerLimits &limits)
{
    m_server
        = std::make_unique<HttpServer>([this](const ExchangePtr &exchange) { handle(exchange); });
    m_server->setLimits(limits);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));
}

void TestHttpServer::handle(const ExchangePtr &exchange)
{
    const HttpRequest &request = exchange->request();
    if (request.path == QLatin1String("/hello")) {
        exchange->respond(HttpResponse::text(200, "hello " + request.method));
    } else if (request.path == QLatin1String("/echo")) {
        exchange->respond(HttpResponse::text(200, request.body, "application/octet-stream"));
    } else if (request.path.startsWith(QLatin1String("/slow/"))) {
        const int delay = request.path.mid(6).toInt();
        QTimer::singleShot(delay, m_server.get(), [exchange, delay] {
            exchange->respond(HttpResponse::text(200, "slept " + QByteArray::number(delay)));
        });
    } else if (request.path == QLatin1String("/stream")) {
        HttpHeaders headers;
        headers.add("Content-Type", "text/event-stream");
        exchange->beginStream(200, headers);
        exchange->setClosedHandler([this] { ++m_streamClosedCalls; });
        auto *timer = new QTimer(m_server.get());
        auto count = std::make_shared<int>(0);
        QObject::connect(timer, &QTimer::timeout, timer, [this, exchange, timer, count] {
            if (!exchange->writeChunk("data: " + QByteArray::number(++*count) + "\n\n")) {
                m_lateWriteRefused = true;
                timer->deleteLater();
                return;
            }
            if (*count == 3 && exchange->request().query.hasQueryItem(QStringLiteral("finite"))) {
                exchange->endStream();
                timer->deleteLater();
            }
        });
        timer->start(20);
    } else if (request.path == QLatin1String("/hold")) {
        m_held.append(exchange);
    } else {
        exchange->fail(ApiError::notFound(QStringLiteral("nothing here")));
    }
}

void TestHttpServer::plainGetCarriesRequestIdAndLength()
{
    startServer();
    Client client(m_server->serverPort());
    client.send(get("/hello"));
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello GET"));
    QCOMPARE(response.headers.value("Content-Length"), QByteArray("9"));
    QCOMPARE(response.headers.value("X-Request-Id").size(), 32);
    QVERIFY(response.headers.contains("Date"));

    client.send(get("/missing"));
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 404);
    QCOMPARE(response.headers.value("Content-Type"), QByteArray("application/problem+json"));
    QVERIFY(response.body.contains("\"requestId\""));
}

void TestHttpServer::clientRequestIdIsEchoedWhenPlain()
{
    startServer();
    Client client(m_server->serverPort());
    client.send(get("/hello", "X-Request-Id: trace-42.a_b\r\n"));
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.headers.value("X-Request-Id"), QByteArray("trace-42.a_b"));

    client.send(get("/hello", "X-Request-Id: bad id with spaces\r\n"));
    QVERIFY(client.read(response));
    QVERIFY(response.headers.value("X-Request-Id") != "bad id with spaces");
    QCOMPARE(response.headers.value("X-Request-Id").size(), 32);
}

void TestHttpServer::pipelinedResponsesKeepRequestOrder()
{
    startServer();
    Client client(m_server->serverPort());
    // The first request is answered last by its handler; the wire order must still be 1, 2, 3.
    client.send(get("/slow/300") + get("/hello") + get("/slow/50"));
    ParsedResponse first, second, third;
    QVERIFY(client.read(first));
    QVERIFY(client.read(second));
    QVERIFY(client.read(third));
    QCOMPARE(first.body, QByteArray("slept 300"));
    QCOMPARE(second.body, QByteArray("hello GET"));
    QCOMPARE(third.body, QByteArray("slept 50"));
}

void TestHttpServer::oversizedBodyIsRefusedBeforeItIsSent()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 1024;
    startServer(limits);
    Client client(m_server->serverPort());
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 104857600\r\n\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 413);
    QCOMPARE(response.headers.value("Connection"), QByteArray("close"));
    QVERIFY(response.body.contains("1024"));
    QVERIFY(client.waitClosed());
}

void TestHttpServer::oversizedChunkedBodyIsRefused()
{
    HttpServerLimits limits;
    limits.maxBodyBytes = 1024;
    startServer(limits);
    Client client(m_server->serverPort());
    const QByteArray chunk(800, 'x');
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n320\r\n"
                + chunk + "\r\n320\r\n" + chunk + "\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 413);
}

void TestHttpServer::oversizedHeadIs431()
{
    startServer();
    Client client(m_server->serverPort());
    client.send(get("/hello", "X-Filler: " + QByteArray(20 * 1024, 'a') + "\r\n"));
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 431);
    QVERIFY(client.waitClosed());
}

void TestHttpServer::slowHeadTimesOutWith408()
{
    HttpServerLimits limits;
    limits.headerTimeoutMs = 200;
    startServer(limits);
    Client client(m_server->serverPort());
    client.send("GET /hello HTTP/1.1\r\nHost: te");
    ParsedResponse response;
    QVERIFY(client.read(response, 3000));
    QCOMPARE(response.status, 408);
    QVERIFY(client.waitClosed());
}

void TestHttpServer::idleKeepAliveConnectionIsClosed()
{
    HttpServerLimits limits;
    limits.idleTimeoutMs = 200;
    startServer(limits);
    Client client(m_server->serverPort());
    client.send(get("/hello"));
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 200);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(client.waitClosed(3000));
    QVERIFY(timer.elapsed() >= 150);
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestHttpServer::expectContinueGetsInterimResponse()
{
    startServer();
    Client client(m_server->serverPort());
    client.send(
        "POST /echo HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] {
        client.buffer() += client.socket().readAll();
        return client.buffer().contains("\r\n\r\n");
    }));
    QVERIFY(client.buffer().startsWith("HTTP/1.1 100 Continue\r\n\r\n"));
    client.buffer().remove(0, 25);
    client.send("abcde");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("abcde"));
}

void TestHttpServer::unknownExpectationIs417()
{
    startServer();
    Client client(m_server->serverPort());
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nExpect: tea\r\nContent-Length: 5\r\n\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 417);
}

void TestHttpServer::headHasNoBody()
{
    startServer();
    Client client(m_server->serverPort());
    client.send("HEAD /hello HTTP/1.1\r\nHost: test\r\n\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response, 5000, true));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.headers.value("Content-Length"), QByteArray("10"));
    // The next response must start right away: any body bytes would corrupt it.
    client.send(get("/hello"));
    QVERIFY(client.read(response));
    QCOMPARE(response.body, QByteArray("hello GET"));
}

void TestHttpServer::chunkedUploadIsDecoded()
{
    startServer();
    Client client(m_server->serverPort());
    client.send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello, world"));
}

void TestHttpServer::malformedRequestIs400()
{
    startServer();
    Client client(m_server->serverPort());
    client.send("GET /hello HTTP/1.1\r\nHost test\r\n\r\n");
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.status, 400);
    QVERIFY(client.waitClosed());

    Client absolute(m_server->serverPort());
    absolute.send("GET http://example.test/hello HTTP/1.1\r\nHost: test\r\n\r\n");
    QVERIFY(absolute.read(response));
    QCOMPARE(response.status, 400);
}

void TestHttpServer::streamedResponseIsChunked()
{
    startServer();
    Client client(m_server->serverPort());
    client.send(get("/stream?finite=1") + get("/hello"));
    ParsedResponse response;
    QVERIFY(client.read(response));
    QCOMPARE(response.headers.value("Transfer-Encoding"), QByteArray("chunked"));
    QCOMPARE(response.body, QByteArray("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
    QVERIFY(client.read(response));
    QCOMPARE(response.body, QByteArray("hello GET"));
}

void TestHttpServer::clientDisconnectMidStreamIsSafe()
{
    startServer();
    {
        Client client(m_server->serverPort());
        client.send(get("/stream"));
        QVERIFY(QTest::qWaitFor([&] {
            client.buffer() += client.socket().readAll();
            return client.buffer().contains("data: 2");
        }));
        client.socket().abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_streamClosedCalls, 1, 5000);
    QTRY_VERIFY_WITH_TIMEOUT(m_lateWriteRefused, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
}

void TestHttpServer::respondingAfterClientLeftIsSafe()
{
    startServer();
    {
        Client client(m_server->serverPort());
        client.send(get("/hold"));
        QTRY_COMPARE_WITH_TIMEOUT(m_held.size(), 1, 5000);
        client.socket().abort();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 0, 5000);
    QVERIFY(!m_held.first()->isOpen());
    m_held.first()->respond(HttpResponse::text(200, "too late"));
    QVERIFY(m_held.first()->hasResponded());
    QCOMPARE(m_held.first()->bufferedBytes(), 0);
}

void TestHttpServer::thousandSequentialKeepAliveRequests()
{
    startServer();
    Client client(m_server->serverPort());
    for (int i = 0; i < 1000; ++i) {
        client.send(get("/hello"));
        ParsedResponse response;
        QVERIFY2(client.read(response), qPrintable(QStringLiteral("request %1").arg(i)));
        QCOMPARE(response.status, 200);
    }
    QCOMPARE(client.socket().state(), QAbstractSocket::ConnectedState);
    QCOMPARE(m_server->connectionCount(), 1);
}

void TestHttpServer::connectionLimitAnswers503()
{
    HttpServerLimits limits;
    limits.maxConnections = 1;
    startServer(limits);
    Client first(m_server->serverPort());
    first.send(get("/hello"));
    ParsedResponse response;
    QVERIFY(first.read(response));
    Client second(m_server->serverPort());
    QVERIFY(second.read(response));
    QCOMPARE(response.status, 503);
    QCOMPARE(response.headers.value("Retry-After"), QByteArray("1"));
    QVERIFY(second.waitClosed());
    first.send(get("/hello"));
    QVERIFY(first.read(response));
    QCOMPARE(response.status, 200);
}

void TestHttpServer::http10ClosesUnlessKeepAlive()
{
    startServer();
    Client keepAlive(m_server->serverPort());
    keepAlive.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    ParsedResponse response;
    QVERIFY(keepAlive.read(response));
    QCOMPARE(response.headers.value("Connection"), QByteArray("keep-alive"));
    keepAlive.send("GET /hello HTTP/1.0\r\n\r\n");
    QVERIFY(keepAlive.read(response));
    QCOMPARE(response.headers.value("Connection"), QByteArray("close"));
    QVERIFY(keepAlive.waitClosed());
}

void TestHttpServer::shutdownFinishesInFlightWork()
{
    startServer();
    const quint16 port = m_server->serverPort();
    Client busy(port);
    Client idle(port);
    QVERIFY(busy.connected());
    QVERIFY(idle.connected());
    busy.send(get("/slow/300"));
    QTRY_COMPARE_WITH_TIMEOUT(m_server->connectionCount(), 2, 5000);
    QTest::qWait(50);
    QSignalSpy drained(m_server.get(), &HttpServer::drained);
    m_server->shutdown(5000);
    QVERIFY(idle.waitClosed());
    ParsedResponse response;
    QVERIFY(busy.read(response));
    QCOMPARE(response.body, QByteArray("slept 300"));
    QCOMPARE(response.headers.value("Connection"), QByteArray("close"));
    QVERIFY(drained.wait(5000) || drained.count() == 1);

    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!late.waitForConnected(1000));
}

void TestHttpServer::tlsWhenConfigured()
{
    if (!QSslSocket::supportsSsl())
        QSKIP("Qt was built without a TLS backend");
    QTemporaryDir dir;
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                   QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-keyout"),
                   dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                   dir.filePath(QStringLiteral("cert.pem"))});
    QVERIFY(openssl.waitForFinished(30000));
    QCOMPARE(openssl.exitCode(), 0);

    QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
    QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(certFile.readAll());
    const QSslKey key(keyFile.readAll(), QSsl::Ec);
    QVERIFY(!certificate.isNull());
    QVERIFY(!key.isNull());

    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    m_server
        = std::make_unique<HttpServer>([this](const ExchangePtr &exchange) { handle(exchange); });
    HttpServerLimits limits;
    limits.headerTimeoutMs = 1000; // also the TLS handshake deadline
    m_server->setLimits(limits);
    m_server->setTlsConfiguration(configuration);
    QVERIFY(m_server->listen(QHostAddress::LocalHost, 0));

    QSslSocket client;
    client.setPeerVerifyMode(QSslSocket::VerifyNone);
    client.connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_server->serverPort());
    QVERIFY(QTest::qWaitFor([&] { return client.isEncrypted(); }, 10000));
    client.write(get("/hello"));
    QByteArray buffer;
    ParsedResponse response;
    QVERIFY(QTest::qWaitFor(
        [&] {
            buffer += client.readAll();
            return takeResponse(buffer, response);
        },
        5000));
    QCOMPARE(response.status, 200);
    QCOMPARE(response.body, QByteArray("hello GET"));

    // A plain-text client on the TLS port gets nothing usable and does not stall the server.
    Client plain(m_server->serverPort());
    plain.send(get("/hello"));
    QVERIFY(plain.waitClosed(15000));
    QVERIFY(!plain.buffer().startsWith("HTTP/1.1 200"));
}

QTEST_GUILESS_MAIN(TestHttpServer)
#include "tst_httpserver.moc"
