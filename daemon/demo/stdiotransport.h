// The MCP stdio transport for the demo server: newline-delimited JSON-RPC read from stdin without
// blocking the event loop and written to stdout as whole lines; nothing else goes to stdout.
#pragma once

#include <QByteArray>
#include <QObject>

#include <memory>

class QSocketNotifier;

namespace mcpgate::jsonrpc {
struct Message;
}

namespace mcpgate::demo {

class DemoMcpServer;

class StdioTransport final : public QObject
{
    Q_OBJECT
public:
    // A line longer than this is answered with an error and skipped.
    static constexpr qsizetype MaxLineBytes = 8 * 1024 * 1024;

    // Reads `inputFd` and writes `outputFd` (stdin and stdout unless a test passes pipes).
    explicit StdioTransport(DemoMcpServer *server, int inputFd = 0, int outputFd = 1,
                            QObject *parent = nullptr);
    ~StdioTransport() override;
    Q_DISABLE_COPY_MOVE(StdioTransport)

    void start();

Q_SIGNALS:
    // The input reached end of file (the client's signal to shut down) or output is gone.
    void finished();

private:
    void readInput();
    void takeBytes(const QByteArray &bytes);
    void endOfInput();
    void processLine(const QByteArray &line);
    void send(const jsonrpc::Message &message);
    void sendLine(QByteArray line);

    DemoMcpServer *m_server;
    int m_inputFd;
    int m_outputFd;
    QByteArray m_buffer;
    bool m_discarding = false; // inside an over-long line
    bool m_finished = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
};

} // namespace mcpgate::demo
