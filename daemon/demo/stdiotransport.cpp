#include "stdiotransport.h"

#include "common/jsonrpc.h"
#include "demomcpserver.h"

#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QThread>

#include <cerrno>
#include <cstdio>
#include <iostream>
#include <string>

#ifdef Q_OS_UNIX
#include <unistd.h>
#else
#include <fcntl.h>
#include <io.h>
#endif

Q_DECLARE_LOGGING_CATEGORY(lcDemo)

namespace mcpgate::demo {

namespace {

// Writes all of `data`, retrying short writes; false when the reader is gone.
bool writeAll(int fd, const QByteArray &data)
{
    const char *p = data.constData();
    qsizetype left = data.size();
    while (left > 0) {
#ifdef Q_OS_UNIX
        const ssize_t n = ::write(fd, p, size_t(left));
#else
        const int n = ::_write(fd, p, unsigned(qMin<qsizetype>(left, 1 << 30)));
#endif
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return false;
        }
        p += n;
        left -= n;
    }
    return true;
}

} // namespace

StdioTransport::StdioTransport(DemoMcpServer *server, int inputFd, int outputFd, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_inputFd(inputFd)
    , m_outputFd(outputFd)
{ }

StdioTransport::~StdioTransport() = default;

void StdioTransport::start()
{
#ifdef Q_OS_UNIX
    // One read() per readiness signal never blocks, so stdin keeps its flags (it may be a
    // terminal shared with the parent shell, where O_NONBLOCK would leak out).
    m_notifier = std::make_unique<QSocketNotifier>(m_inputFd, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StdioTransport::readInput);
#else
    // Console and pipe handles cannot be watched by QSocketNotifier on Windows: read lines on a
    // thread and hand them to this one.
    ::_setmode(m_outputFd, _O_BINARY);
    QThread *reader = QThread::create([this] {
        std::string line;
        while (std::getline(std::cin, line)) {
            QByteArray bytes = QByteArray::fromStdString(line) + '\n';
            QMetaObject::invokeMethod(
                this, [this, bytes] { takeBytes(bytes); }, Qt::QueuedConnection);
        }
        QMetaObject::invokeMethod(
            this, [this] { endOfInput(); }, Qt::QueuedConnection);
    });
    connect(reader, &QThread::finished, reader, &QObject::deleteLater);
    reader->start();
#endif
}

void StdioTransport::readInput()
{
#ifdef Q_OS_UNIX
    char chunk[64 * 1024];
    const ssize_t n = ::read(m_inputFd, chunk, sizeof chunk);
    if (n > 0) {
        takeBytes(QByteArray(chunk, qsizetype(n)));
        return;
    }
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n < 0)
        qCWarning(lcDemo) << "reading stdin failed:" << qt_error_string(errno);
    m_notifier->setEnabled(false);
    endOfInput();
#endif
}

void StdioTransport::takeBytes(const QByteArray &bytes)
{
    m_buffer += bytes;
    qsizetype start = 0;
    for (;;) {
        const qsizetype newline = m_buffer.indexOf('\n', start);
        if (newline < 0)
            break;
        if (m_discarding)
            m_discarding = false;
        else
            processLine(m_buffer.sliced(start, newline - start));
        if (m_finished)
            return;
        start = newline + 1;
    }
    m_buffer.remove(0, start);
    if (!m_discarding && m_buffer.size() > MaxLineBytes) {
        qCWarning(lcDemo) << "skipping an input line longer than" << MaxLineBytes << "bytes";
        send(jsonrpc::makeError(
            QJsonValue::Null, jsonrpc::ErrorCode::InvalidRequest,
            QStringLiteral("Invalid Request: message larger than %1 bytes").arg(MaxLineBytes)));
        m_discarding = true;
    }
    if (m_discarding)
        m_buffer.clear();
}

void StdioTransport::endOfInput()
{
    // A last message without its newline still counts.
    if (!m_discarding && !m_buffer.trimmed().isEmpty())
        processLine(m_buffer);
    m_buffer.clear();
    if (!m_finished) {
        m_finished = true;
        Q_EMIT finished();
    }
}

void StdioTransport::processLine(const QByteArray &rawLine)
{
    QByteArray line = rawLine;
    if (line.endsWith('\r'))
        line.chop(1);
    if (line.trimmed().isEmpty())
        return;

    jsonrpc::ParseOptions options;
    options.maxBytes = MaxLineBytes;
    const jsonrpc::ParseResult parsed = jsonrpc::parse(line, options);
    if (!parsed.batch) {
        for (const jsonrpc::Message &error : parsed.errors)
            send(error);
        for (const jsonrpc::Message &message : parsed.messages)
            m_server->handle(message, [this](const jsonrpc::Message &out, bool) { send(out); });
        return;
    }
    if (!m_server->batchesAllowed()) { // refused as a whole: one error, not an array
        send(jsonrpc::makeError(
            QJsonValue::Null, jsonrpc::ErrorCode::InvalidRequest,
            QStringLiteral("Invalid Request: batches need protocol version 2025-03-26")));
        return;
    }
    if (parsed.messages.isEmpty()) { // every element was malformed
        sendLine(jsonrpc::serialize(parsed.errors));
        return;
    }
    const QList<jsonrpc::Message> malformed = parsed.errors;
    m_server->handleBatch(parsed.messages,
                          [this, malformed](const QList<jsonrpc::Message> &out, bool final) {
                              if (!final) {
                                  for (const jsonrpc::Message &message : out)
                                      send(message);
                                  return;
                              }
                              QList<jsonrpc::Message> all = malformed + out;
                              if (!all.isEmpty())
                                  sendLine(jsonrpc::serialize(all));
                          });
}

void StdioTransport::send(const jsonrpc::Message &message)
{
    sendLine(jsonrpc::serialize(message));
}

void StdioTransport::sendLine(QByteArray line)
{
    if (m_finished)
        return;
    line += '\n';
    // Unbuffered and in one piece, so a reader never sees half a message.
    if (!writeAll(m_outputFd, line)) {
        qCWarning(lcDemo) << "stdout closed; stopping";
        m_finished = true;
        Q_EMIT finished();
    }
}

} // namespace mcpgate::demo
