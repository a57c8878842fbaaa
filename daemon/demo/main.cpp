// mcpgate-demo-server: serves the demo MCP server over stdio (default) or Streamable HTTP.
#include "demomcpserver.h"
#include "httptransport.h"
#include "stdiotransport.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <mcpgate/version.h>

using namespace mcpgate::demo;

namespace {

// "127.0.0.1:0", "localhost:8080", "[::1]:0"
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    bool ok = false;
    const uint value = text.mid(colon + 1).toUInt(&ok);
    if (!ok || value > 65535 || !address->setAddress(host))
        return false;
    *port = quint16(value);
    return true;
}

} // namespace

int main(int argc, char **argv)
{
#ifdef SIGPIPE
    // A client that goes away must not kill the server mid-write; the write reports it instead.
    std::signal(SIGPIPE, SIG_IGN);
#endif
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("mcpgate-demo-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(MCPGATE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "A small MCP server for trying out and testing MCPGate. Speaks MCP over stdio by "
        "default, or Streamable HTTP at /mcp with --http."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption httpOption(
        QStringLiteral("http"),
        QStringLiteral("Serve Streamable HTTP on HOST:PORT (port 0 picks a free one)."),
        QStringLiteral("HOST:PORT"));
    parser.addOption(httpOption);
    parser.process(app);

    if (!parser.isSet(httpOption)) {
        DemoMcpServer server;
        StdioTransport transport(&server);
        QObject::connect(
            &transport, &StdioTransport::finished, &app, [] { QCoreApplication::exit(0); },
            Qt::QueuedConnection);
        transport.start();
        return QCoreApplication::exec();
    }

    QHostAddress address;
    quint16 port = 0;
    if (!parseListenAddress(parser.value(httpOption), &address, &port)) {
        std::fprintf(stderr, "mcpgate-demo-server: --http wants HOST:PORT, e.g. 127.0.0.1:0\n");
        return 2;
    }
    HttpTransport transport;
    if (!transport.listen(address, port)) {
        std::fprintf(stderr, "mcpgate-demo-server: cannot listen on %s: %s\n",
                     qPrintable(parser.value(httpOption)), qPrintable(transport.errorString()));
        return 1;
    }
    // The one line on stdout: whoever started us learns the address from it.
    QTextStream out(stdout);
    out << "listening on " << transport.endpointUrl() << Qt::endl;
    return QCoreApplication::exec();
}
