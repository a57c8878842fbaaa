#include "httpconnection.h"

#include "apierror.h"

#include <QDateTime>
#include <QLocale>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QSslSocket>
#include <QTcpSocket>
#include <QUrl>

#include <array>
#include <sys/socket.h>

Q_LOGGING_CATEGORY(lcConnection, "mcpgate.http.connection", QtWarningMsg)

namespace mcpgate::http {

namespace {

constexpr qint64 kReadBufferBytes = 256 * 1024;
constexpr qint64 kDrainedBelowBytes = 64 * 1024;
constexpr int kLingerMs = 2000;
constexpr int kMaxHeaderFields = 128;

QByteArray generateRequestId()
{
    std::array<quint32, 4> words {};
    QRandomGenerator::global()->fillRange(words.data(), words.size());
    return QByteArray(reinterpret_cast<const char *>(words.data()), sizeof(words)).toHex();
}

// A client may pass its own correlation id; it is echoed only when it is short and plain.
bool isAcceptableRequestId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > 128)
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-' || c == '_' || c == '.' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

const QByteArray &httpDate()
{
    thread_local QByteArray cached;
    thread_local qint64 cachedSecond = -1;
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (now != cachedSecond) {
        cachedSecond = now;
        cached = QLocale::c()
                     .toString(QDateTime::fromSecsSinceEpoch(now, Qt::UTC),
                               QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'"))
                     .toLatin1();
    }
    return cached;
}

bool isManagedHeader(const QByteArray &name)
{
    return name.compare("Content-Length", Qt::CaseInsensitive) == 0
        || name.compare("Transfer-Encoding", Qt::CaseInsensitive) == 0
        || name.compare("Connection", Qt::CaseInsensitive) == 0
        || name.compare("Date", Qt::CaseInsensitive) == 0
        || name.compare("X-Request-Id", Qt::CaseInsensitive) == 0;
}

bool hasLineBreak(const QByteArray &text)
{
    return text.contains('\r') || text.contains('\n') || text.contains('\0');
}

HttpConnection *connectionOf(http_parser *parser)
{
    return static_cast<HttpConnection *>(parser->data);
}

} // namespace

// ---- HttpExchange -----------------------------------------------------------------------------

HttpExchange::HttpExchange(HttpConnection *connection, HttpRequest request, QByteArray requestId)
    : m_connection(connection)
    , m_request(std::move(request))
    , m_requestId(std::move(requestId))
{ }

HttpExchange::~HttpExchange() = default;

bool HttpExchange::isOpen() const
{
    return !m_closed && m_connection && (m_state == State::Pending || m_state == State::Streaming);
}

void HttpExchange::respond(HttpResponse response)
{
    if (m_state != State::Pending)
        return;
    m_state = State::Responded;
    m_status = response.status;
    if (m_closed || !m_connection)
        return;
    const bool bodyless = m_request.method == "HEAD" || response.status == 204
        || response.status == 304 || response.status < 200;
    const qint64 length
        = (response.status == 204 || response.status == 304) ? -1 : response.body.size();
    m_pending += m_connection->serializeHead(response.status, response.headers, m_requestId, length,
                                             false, m_connection->closesAfter(this));
    if (!bodyless) {
        m_pending += response.body;
        m_bodyBytes = response.body.size();
    }
    m_connection->exchangeUpdated();
}

void HttpExchange::fail(const ApiError &error)
{
    respond(error.toResponse(m_request.path, m_requestId));
}

void HttpExchange::beginStream(int status, const HttpHeaders &headers)
{
    if (m_state != State::Pending)
        return;
    m_status = status;
    if (m_closed || !m_connection) {
        m_state = State::StreamEnded;
        return;
    }
    if (m_request.method == "HEAD") {
        m_state = State::StreamEnded;
        m_pending += m_connection->serializeHead(status, headers, m_requestId, -1, false,
                                                 m_connection->closesAfter(this));
    } else {
        // HTTP/1.0 has no chunked encoding: the body then ends when the connection closes.
        if (m_request.httpMinor == 0)
            m_closeConnection = true;
        m_state = State::Streaming;
        m_pending += m_connection->serializeHead(status, headers, m_requestId, -1,
                                                 m_request.httpMinor > 0,
                                                 m_connection->closesAfter(this));
    }
    m_connection->exchangeUpdated();
}

bool HttpExchange::writeChunk(const QByteArray &data)
{
    if (m_state != State::Streaming || m_closed || !m_connection)
        return false;
    if (data.isEmpty())
        return true;
    if (m_request.httpMinor > 0) {
        m_pending += QByteArray::number(data.size(), 16);
        m_pending += "\r\n";
        m_pending += data;
        m_pending += "\r\n";
    } else {
        m_pending += data;
    }
    m_bodyBytes += data.size();
    m_connection->exchangeUpdated();
    return true;
}

void HttpExchange::endStream()
{
    if (m_state != State::Streaming)
        return;
    m_state = State::StreamEnded;
    if (m_closed || !m_connection)
        return;
    if (m_request.httpMinor > 0)
        m_pending += "0\r\n\r\n";
    m_connection->exchangeUpdated();
}

qint64 HttpExchange::bufferedBytes() const
{
    if (m_closed || !m_connection)
        return 0;
    return m_connection->bufferedBytes(this);
}

void HttpExchange::connectionClosed()
{
    if (m_closed)
        return;
    m_closed = true;
    m_pending.clear();
    const bool incomplete = m_state == State::Pending || m_state == State::Streaming;
    if (incomplete && m_onClosed)
        m_onClosed();
    if (incomplete && m_status == 0)
        m_status = 499; // client closed the connection before a response existed
    notifyFinished();
}

void HttpExchange::notifyDrained()
{
    if (m_onDrained)
        m_onDrained();
}

void HttpExchange::notifyFinished()
{
    if (m_finishNotified)
        return;
    m_finishNotified = true;
    if (m_onFinished)
        m_onFinished(m_status, m_bodyBytes);
}

// ---- HttpConnection ---------------------------------------------------------------------------

const http_parser_settings &HttpConnection::parserSettings()
{
    static const http_parser_settings settings = [] {
        http_parser_settings callbacks {};
        http_parser_settings_init(&callbacks);
        callbacks.on_message_begin = &HttpConnection::onMessageBegin;
        callbacks.on_url = &HttpConnection::onUrl;
        callbacks.on_header_field = &HttpConnection::onHeaderField;
        callbacks.on_header_value = &HttpConnection::onHeaderValue;
        callbacks.on_headers_complete = &HttpConnection::onHeadersComplete;
        callbacks.on_body = &HttpConnection::onBody;
        callbacks.on_message_complete = &HttpConnection::onMessageComplete;
        return callbacks;
    }();
    return settings;
}

HttpConnection::HttpConnection(QTcpSocket *socket, const HttpServerLimits &limits,
                               const HttpServer::RequestHandler &handler, QObject *parent)
    : QObject(parent)
    , m_socket(socket)
    , m_limits(limits)
    , m_handler(handler)
{
    m_socket->setParent(this);
    m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    m_socket->setReadBufferSize(kReadBufferBytes);
    http_parser_init(&m_parser, HTTP_REQUEST);
    m_parser.data = this;

    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::CoarseTimer);
    connect(&m_timer, &QTimer::timeout, this, &HttpConnection::timerFired);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpConnection::readInput);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (!m_inFlight.empty() && m_inFlight.front()->m_state == HttpExchange::State::Streaming
            && m_socket->bytesToWrite() < kDrainedBelowBytes) {
            const ExchangePtr head = m_inFlight.front();
            head->notifyDrained();
        }
        if (m_closing && m_inFlight.empty())
            closeWhenFlushed();
    });
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpConnection::socketDisconnected);
    connect(m_socket, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        if (error != QAbstractSocket::RemoteHostClosedError)
            qCDebug(lcConnection) << "socket error" << m_socket->errorString();
        if (m_socket->state() == QAbstractSocket::UnconnectedState)
            socketDisconnected();
    });

    // A fresh connection must send its first request head promptly.
    m_timer.start(m_limits.headerTimeoutMs);
    if (m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &HttpConnection::readInput, Qt::QueuedConnection);
}

HttpConnection::~HttpConnection()
{
    finish();
}

void HttpConnection::beginShutdown()
{
    if (m_finished)
        return;
    m_closing = true;
    if (!m_inFlight.empty())
        m_inFlight.back()->m_closeConnection = true;
    else
        closeWhenFlushed();
}

void HttpConnection::abort()
{
    if (m_finished)
        return;
    m_socket->abort();
    socketDisconnected();
}

void HttpConnection::refuseOverloaded()
{
    reject(503, QStringLiteral("The server is at its connection limit; retry shortly."));
}

bool HttpConnection::closesAfter(const HttpExchange *exchange) const
{
    return exchange->m_closeConnection;
}

qint64 HttpConnection::bufferedBytes(const HttpExchange *exchange) const
{
    if (!m_inFlight.empty() && m_inFlight.front().get() == exchange)
        return m_socket->bytesToWrite() + exchange->m_pending.size();
    return exchange->m_pending.size();
}

QByteArray HttpConnection::serializeHead(int status, const HttpHeaders &headers,
                                         const QByteArray &requestId, qint64 contentLength,
                                         bool chunked, bool closing) const
{
    QByteArray out;
    out.reserve(192 + headers.fields().size() * 48);
    out += "HTTP/1.1 ";
    out += QByteArray::number(status);
    out += ' ';
    out += reasonPhrase(status);
    out += "\r\n";
    for (const auto &field : headers.fields()) {
        if (isManagedHeader(field.first))
            continue;
        if (hasLineBreak(field.first) || hasLineBreak(field.second)) {
            qCWarning(lcConnection)
                << "dropped a response header with a line break:" << field.first;
            continue;
        }
        out += field.first;
        out += ": ";
        out += field.second;
        out += "\r\n";
    }
    out += "X-Content-Type-Options: nosniff\r\nX-Request-Id: ";
    out += requestId;
    out += "\r\nDate: ";
    out += httpDate();
    out += "\r\n";
    if (chunked) {
        out += "Transfer-Encoding: chunked\r\n";
    } else if (contentLength >= 0) {
        out += "Content-Length: ";
        out += QByteArray::number(contentLength);
        out += "\r\n";
    }
    if (closing)
        out += "Connection: close\r\n";
    else if (m_parser.http_minor == 0)
        out += "Connection: keep-alive\r\n";
    out += "\r\n";
    return out;
}

void HttpConnection::exchangeUpdated()
{
    flush();
}

void HttpConnection::readInput()
{
    if (m_finished)
        return;
    if (m_closing || m_lingering) {
        m_socket->readAll(); // nothing more is parsed; keep the receive window open
        return;
    }
    if (m_inFlight.size() >= static_cast<size_t>(m_limits.maxPipelinedRequests))
        return; // resumed from flush() once responses have gone out
    m_input += m_socket->readAll();
    processInput();
}

void HttpConnection::processInput()
{
    while (!m_input.isEmpty() && !m_closing) {
        if (m_inFlight.size() >= static_cast<size_t>(m_limits.maxPipelinedRequests))
            break;
        const size_t parsed = http_parser_execute(&m_parser, &parserSettings(), m_input.constData(),
                                                  static_cast<size_t>(m_input.size()));
        const auto error = static_cast<http_errno>(m_parser.http_errno);
        if (m_rejectStatus != 0) {
            m_input.clear();
            reject(m_rejectStatus, m_rejectDetail);
            return;
        }
        if (error == HPE_PAUSED) {
            http_parser_pause(&m_parser, 0);
            m_input.remove(0, static_cast<qsizetype>(parsed));
            continue;
        }
        if (error == HPE_HEADER_OVERFLOW) {
            m_input.clear();
            reject(
                431,
                QStringLiteral("The request head exceeds %1 bytes.").arg(m_limits.maxHeaderBytes));
            return;
        }
        if (error != HPE_OK) {
            m_input.clear();
            reject(400,
                   QStringLiteral("Malformed HTTP request: %1.")
                       .arg(QString::fromLatin1(http_errno_description(error))));
            return;
        }
        m_input.remove(0, static_cast<qsizetype>(parsed));
    }
    dispatchReady();
}

void HttpConnection::dispatchReady()
{
    while (!m_ready.empty() && !m_finished) {
        const ExchangePtr exchange = m_ready.front();
        m_ready.pop_front();
        if (m_handler)
            m_handler(exchange);
        else
            exchange->fail(ApiError::notFound(QString()));
    }
}

void HttpConnection::flush()
{
    if (m_flushing || m_finished)
        return;
    m_flushing = true;
    bool closeNow = false;
    while (!m_inFlight.empty()) {
        const ExchangePtr head = m_inFlight.front();
        if (!head->m_pending.isEmpty()) {
            m_socket->write(head->m_pending);
            head->m_pending.clear();
        }
        const auto state = head->m_state;
        if (state != HttpExchange::State::Responded && state != HttpExchange::State::StreamEnded)
            break;
        m_inFlight.pop_front();
        head->notifyFinished();
        if (head->m_closeConnection) {
            closeNow = true;
            break;
        }
    }
    m_flushing = false;
    if (m_finished)
        return;
    if (closeNow || (m_closing && m_inFlight.empty())) {
        closeWhenFlushed();
        return;
    }
    if (m_inFlight.empty()) {
        if (!m_inMessage)
            m_timer.start(m_limits.idleTimeoutMs);
        if (!m_input.isEmpty() || m_socket->bytesAvailable() > 0)
            QMetaObject::invokeMethod(this, &HttpConnection::readInput, Qt::QueuedConnection);
    } else if (m_inFlight.size() + 1 == static_cast<size_t>(m_limits.maxPipelinedRequests)) {
        QMetaObject::invokeMethod(this, &HttpConnection::readInput, Qt::QueuedConnection);
    }
}

void HttpConnection::reject(int status, const QString &detail)
{
    if (m_finished)
        return;
    HttpRequest request;
    request.method = m_headersDone || m_inMessage ? m_request.method : QByteArray("GET");
    request.path = m_request.path;
    request.httpMinor = 1;
    QByteArray requestId = m_request.headers.value("X-Request-Id");
    if (!isAcceptableRequestId(requestId))
        requestId = generateRequestId();
    auto exchange = std::make_shared<HttpExchange>(this, std::move(request), std::move(requestId));
    exchange->m_closeConnection = true;
    m_closing = true;
    m_lingering = true;
    m_timer.stop();
    m_inFlight.push_back(exchange);

    ApiError error(status, QString(), QString::fromLatin1(reasonPhrase(status)), detail);
    switch (status) {
    case 400:
        error = ApiError::badRequest(detail);
        break;
    case 408:
        error = ApiError(408, QStringLiteral("request-timeout"), QStringLiteral("Request timeout"),
                         detail);
        break;
    case 413:
        error = ApiError::payloadTooLarge(m_limits.maxBodyBytes);
        break;
    case 417:
        error = ApiError(417, QStringLiteral("expectation-failed"),
                         QStringLiteral("Expectation failed"), detail);
        break;
    case 431:
        error = ApiError(431, QStringLiteral("header-too-large"),
                         QStringLiteral("Request header fields too large"), detail);
        break;
    case 503:
        error = ApiError::serviceUnavailable(detail);
        error.headers().set("Retry-After", "1");
        break;
    case 505:
        error = ApiError(505, QStringLiteral("http-version"),
                         QStringLiteral("HTTP version not supported"), detail);
        break;
    default:
        break;
    }
    exchange->fail(error);
}

void HttpConnection::closeWhenFlushed()
{
    if (m_finished)
        return;
    m_closing = true;
    if (m_socket->bytesToWrite() > 0)
        return; // called again from bytesWritten
    auto *ssl = qobject_cast<QSslSocket *>(m_socket);
    if (m_lingering && !ssl && m_socket->state() == QAbstractSocket::ConnectedState) {
        // Half-close and drain what the client is still sending, so that it reads the error
        // response instead of a reset.
        if (!m_timer.isActive() || m_timer.interval() != kLingerMs) {
            ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
            m_timer.start(kLingerMs);
        }
        return;
    }
    m_socket->disconnectFromHost();
    if (m_socket->state() == QAbstractSocket::UnconnectedState)
        socketDisconnected();
}

void HttpConnection::socketDisconnected()
{
    if (m_finished)
        return;
    finish();
    Q_EMIT closed();
    deleteLater();
}

void HttpConnection::finish()
{
    if (m_finished)
        return;
    m_finished = true;
    m_timer.stop();
    auto inFlight = std::move(m_inFlight);
    m_inFlight.clear();
    m_ready.clear();
    for (const ExchangePtr &exchange : inFlight)
        exchange->connectionClosed();
}

void HttpConnection::timerFired()
{
    if (m_finished)
        return;
    if (m_lingering || m_closing) {
        abort();
        return;
    }
    if (m_inMessage) {
        m_input.clear();
        reject(408, QStringLiteral("The request was not received in time."));
        return;
    }
    if (m_inFlight.empty()) {
        m_closing = true;
        closeWhenFlushed(); // idle keep-alive connection
    }
}

// ---- http-parser callbacks --------------------------------------------------------------------

bool HttpConnection::countHeaderBytes(size_t length)
{
    m_headerBytes += static_cast<qint64>(length);
    if (m_headerBytes > m_limits.maxHeaderBytes) {
        m_rejectStatus = 431;
        m_rejectDetail
            = QStringLiteral("The request head exceeds %1 bytes.").arg(m_limits.maxHeaderBytes);
        return false;
    }
    return true;
}

int HttpConnection::onMessageBegin(http_parser *parser)
{
    HttpConnection *self = connectionOf(parser);
    self->m_request = HttpRequest();
    self->m_url.clear();
    self->m_field.clear();
    self->m_value.clear();
    self->m_inValue = false;
    self->m_inMessage = true;
    self->m_headersDone = false;
    self->m_headerBytes = 0;
    self->m_timer.start(self->m_limits.headerTimeoutMs);
    return 0;
}

int HttpConnection::onUrl(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    if (!self->countHeaderBytes(length))
        return -1;
    self->m_url.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeaderField(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    if (!self->countHeaderBytes(length))
        return -1;
    if (self->m_inValue) {
        if (self->m_request.headers.fields().size() >= kMaxHeaderFields) {
            self->m_rejectStatus = 431;
            self->m_rejectDetail = QStringLiteral("The request has more than %1 header fields.")
                                       .arg(kMaxHeaderFields);
            return -1;
        }
        self->m_request.headers.add(self->m_field, self->m_value.trimmed());
        self->m_field.clear();
        self->m_value.clear();
        self->m_inValue = false;
    }
    self->m_field.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeaderValue(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    if (!self->countHeaderBytes(length))
        return -1;
    self->m_inValue = true;
    self->m_value.append(at, static_cast<qsizetype>(length));
    return 0;
}

int HttpConnection::onHeadersComplete(http_parser *parser)
{
    return connectionOf(parser)->headersComplete();
}

int HttpConnection::headersComplete()
{
    if (!m_field.isEmpty())
        m_request.headers.add(m_field, m_value.trimmed());
    m_field.clear();
    m_value.clear();
    m_headersDone = true;
    m_request.method = http_method_str(static_cast<http_method>(m_parser.method));
    m_request.httpMinor = m_parser.http_minor;

    const auto fail = [this](int status, const QString &detail) {
        m_rejectStatus = status;
        m_rejectDetail = detail;
        return -1;
    };
    if (m_parser.http_major != 1)
        return fail(505, QStringLiteral("Only HTTP/1.0 and HTTP/1.1 are served."));

    // Origin-form only ("/path?query"); absolute-form is for proxies, which this is not.
    if (!m_url.startsWith('/'))
        return fail(400, QStringLiteral("The request target must be an absolute path."));
    const qsizetype queryStart = m_url.indexOf('?');
    const QByteArray rawPath = queryStart < 0 ? m_url : m_url.left(queryStart);
    const qsizetype fragment = rawPath.indexOf('#');
    m_request.target = m_url;
    m_request.path = QUrl::fromPercentEncoding(fragment < 0 ? rawPath : rawPath.left(fragment));
    if (m_request.path.contains(QChar(0)))
        return fail(400, QStringLiteral("The request path contains a NUL character."));
    if (queryStart >= 0)
        m_request.query = QUrlQuery(QString::fromUtf8(m_url.mid(queryStart + 1)));

    if ((m_parser.flags & F_CONTENTLENGTH) != 0
        && m_parser.content_length > static_cast<quint64>(m_limits.maxBodyBytes))
        return fail(413, QString());

    const QByteArray expect = m_request.headers.value("Expect");
    if (!expect.isEmpty()) {
        if (expect.compare("100-continue", Qt::CaseInsensitive) != 0)
            return fail(417, QStringLiteral("Only 'Expect: 100-continue' is understood."));
        // Only when nothing else is queued, so the interim response cannot split another one.
        if (m_parser.http_minor >= 1 && m_inFlight.empty())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }
    if ((m_parser.flags & F_CONTENTLENGTH) != 0)
        m_request.body.reserve(static_cast<qsizetype>(m_parser.content_length));
    m_timer.start(m_limits.idleTimeoutMs);
    return 0;
}

int HttpConnection::onBody(http_parser *parser, const char *at, size_t length)
{
    HttpConnection *self = connectionOf(parser);
    if (self->m_request.body.size() + static_cast<qint64>(length) > self->m_limits.maxBodyBytes) {
        self->m_rejectStatus = 413;
        return -1;
    }
    self->m_request.body.append(at, static_cast<qsizetype>(length));
    self->m_timer.start(self->m_limits.idleTimeoutMs);
    return 0;
}

int HttpConnection::onMessageComplete(http_parser *parser)
{
    HttpConnection *self = connectionOf(parser);
    HttpRequest &request = self->m_request;
    request.peerAddress = self->m_socket->peerAddress();
    request.peerPort = self->m_socket->peerPort();
    request.secure = qobject_cast<QSslSocket *>(self->m_socket) != nullptr;

    QByteArray requestId = request.headers.value("X-Request-Id");
    if (!isAcceptableRequestId(requestId))
        requestId = generateRequestId();
    auto exchange = std::make_shared<HttpExchange>(self, std::move(request), std::move(requestId));
    if (http_should_keep_alive(parser) == 0) {
        exchange->m_closeConnection = true;
        self->m_closing = true;
    }
    self->m_request = HttpRequest();
    self->m_inMessage = false;
    self->m_headersDone = false;
    self->m_timer.stop();
    self->m_inFlight.push_back(exchange);
    self->m_ready.push_back(exchange);
    http_parser_pause(parser, 1);
    return 0;
}

} // namespace mcpgate::http
