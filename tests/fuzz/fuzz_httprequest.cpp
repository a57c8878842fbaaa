// Fuzzes the HTTP/1.1 server core with raw bytes from a real TCP client: whatever arrives, the
// server must answer or close, never crash, hang or leak a connection.
#include "http/httpserver.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTcpSocket>

#include <cstdint>
#include <cstdlib>
#include <sys/socket.h>

using namespace mcpgate::http;

namespace {
struct Harness
{
    Harness()
    {
        static int argc = 1;
        static char name[] = "fuzz_httprequest";
        static char *argv[] = {name, nullptr};
        app = new QCoreApplication(argc, argv);
        server = new HttpServer([](const ExchangePtr &exchange) {
            const HttpRequest &request = exchange->request();
            if (request.path == QLatin1String("/stream")) {
                exchange->beginStream(200, {});
                exchange->writeChunk(request.body);
                exchange->endStream();
            } else {
                exchange->respond(HttpResponse::text(200, request.body.left(64)));
            }
        });
        HttpServerLimits limits;
        limits.maxBodyBytes = 4096;
        limits.maxHeaderBytes = 2048;
        limits.headerTimeoutMs = 30;
        limits.idleTimeoutMs = 30;
        server->setLimits(limits);
        if (!server->listen(QHostAddress::LocalHost, 0))
            std::abort();
    }
    QCoreApplication *app;
    HttpServer *server;
};
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Harness harness;
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, harness.server->serverPort());
    QDeadlineTimer deadline(3000);
    while (client.state() != QAbstractSocket::ConnectedState && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    client.write(reinterpret_cast<const char *>(data), static_cast<qint64>(size));
    while (client.bytesToWrite() > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    // Half-close: the server parses and answers what it has, then sees the end of input, so an
    // incomplete request costs no header timeout. The timeouts have their own unit tests.
    ::shutdown(static_cast<int>(client.socketDescriptor()), SHUT_WR);
    while (client.state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
        client.readAll();
    }
    client.abort();
    deadline = QDeadlineTimer(3000);
    while (harness.server->connectionCount() > 0 && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 10);
    if (harness.server->connectionCount() != 0)
        std::abort(); // a connection outlived its client: a leak
    return 0;
}
