#include "httptransport.h"

#include "common/jsonrpc.h"
#include "common/protocolversion.h"
#include "demomcpserver.h"
#include "http/httpserver.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>
#include <QUrl>

Q_DECLARE_LOGGING_CATEGORY(lcDemo)

namespace mcpgate::demo {

struct HttpTransport::Session
{
    std::unique_ptr<DemoMcpServer> server;
    quint64 lastUse = 0; // from m_useCounter: a strict order, unlike clock readings
};

namespace {

const QByteArray kEndpoint = "/mcp";

// Writes what DemoMcpServer sends about one POST: a plain JSON response when the answer comes
// alone, an SSE stream once a related notification comes first and the client accepts one.
struct ResponseWriter
{
    http::ExchangePtr exchange;
    bool sseAccepted = false;
    bool streaming = false;
    http::HttpHeaders extraHeaders;

    static QByteArray event(const QByteArray &json)
    {
        return "event: message\ndata: " + json + "\n\n";
    }

    void notify(const QByteArray &json)
    {
        if (!sseAccepted)
            return; // a JSON-only client cannot receive them; the answer still comes
        if (!streaming) {
            http::HttpHeaders headers = extraHeaders;
            headers.add("Content-Type", "text/event-stream");
            headers.add("Cache-Control", "no-cache");
            headers.add("X-Accel-Buffering", "no");
            exchange->beginStream(200, headers);
            streaming = true;
        }
        exchange->writeChunk(event(json));
    }

    void finish(const QByteArray &json, int status)
    {
        if (streaming) {
            exchange->writeChunk(event(json));
            exchange->endStream();
            return;
        }
        http::HttpResponse response;
        response.status = status;
        response.headers = extraHeaders;
        response.headers.add("Content-Type", "application/json");
        response.body = json;
        exchange->respond(std::move(response));
    }
};

int statelessStatus(const jsonrpc::Message &message)
{
    if (message.kind != jsonrpc::MessageKind::ErrorResponse)
        return 200;
    switch (message.errorCode) {
    case jsonrpc::ErrorCode::MethodNotFound:
        return 404;
    case mcp::ErrorCode::HeaderMismatch:
    case mcp::ErrorCode::MissingRequiredClientCapability:
    case mcp::ErrorCode::UnsupportedProtocolVersion:
        return 400;
    default:
        return 200;
    }
}

void respondError(const http::ExchangePtr &exchange, int status, const jsonrpc::Message &error)
{
    http::HttpResponse response;
    response.status = status;
    response.headers.add("Content-Type", "application/json");
    response.body = jsonrpc::serialize(error);
    exchange->respond(std::move(response));
}

void respondError(const http::ExchangePtr &exchange, int status, int code, const QString &text,
                  const QJsonValue &id = QJsonValue(QJsonValue::Null))
{
    respondError(exchange, status, jsonrpc::makeError(id, code, text));
}

// Browsers send Origin; only pages served from this machine may talk to the demo server.
bool originAllowed(const QByteArray &origin)
{
    if (origin.isEmpty())
        return true;
    const QUrl url(QString::fromLatin1(origin));
    const QString host = url.host();
    return host == QLatin1String("127.0.0.1") || host == QLatin1String("localhost")
        || host == QLatin1String("::1");
}

// Mcp-Name and Mcp-Param-* carry non-ASCII values as =?base64?...?=.
QString decodeHeaderValue(const QByteArray &value)
{
    if (value.startsWith("=?base64?") && value.endsWith("?=") && value.size() >= 11)
        return QString::fromUtf8(QByteArray::fromBase64(value.mid(9, value.size() - 11)));
    return QString::fromLatin1(value);
}

QByteArray newSessionId()
{
    quint32 words[4];
    QRandomGenerator::system()->fillRange(words);
    return QByteArray(reinterpret_cast<const char *>(words), sizeof words).toHex();
}

} // namespace

HttpTransport::HttpTransport(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<http::HttpServer>(
          [this](const http::ExchangePtr &exchange) { handle(exchange); }))
{ }

HttpTransport::~HttpTransport()
{
    // The HTTP server's connections call back into this object: end them first.
    m_server.reset();
}

bool HttpTransport::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

QString HttpTransport::errorString() const
{
    return m_server->errorString();
}

QString HttpTransport::endpointUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_server->serverAddress().toString());
    url.setPort(m_server->serverPort());
    url.setPath(QString::fromLatin1(kEndpoint));
    return url.toString();
}

void HttpTransport::handle(const http::ExchangePtr &exchange)
{
    const http::HttpRequest &request = exchange->request();
    if (request.path.toUtf8() != kEndpoint) {
        exchange->respond(http::HttpResponse::text(404, "Not Found\n"));
        return;
    }
    if (!originAllowed(request.headers.value("Origin"))) {
        respondError(exchange, 403, jsonrpc::ErrorCode::InvalidRequest,
                     QStringLiteral("Origin not allowed"));
        return;
    }
    if (request.method == "POST") {
        handlePost(exchange);
    } else if (request.method == "DELETE") {
        handleDelete(exchange);
    } else {
        // No server-initiated stream is offered, so GET is refused like any other method.
        http::HttpResponse response = http::HttpResponse::empty(405);
        response.headers.add("Allow", "POST, DELETE");
        exchange->respond(std::move(response));
    }
}

void HttpTransport::handleDelete(const http::ExchangePtr &exchange)
{
    const auto it = sessionOf(exchange);
    if (it == m_sessions.end())
        return;
    // The server object may be inside a callback of its own timers right now.
    it->second->server.release()->deleteLater();
    m_sessions.erase(it);
    exchange->respond(http::HttpResponse::empty(200));
}

HttpTransport::SessionMap::iterator HttpTransport::sessionOf(const http::ExchangePtr &exchange)
{
    const QByteArray sessionId = exchange->request().headers.value(mcp::Header::SessionId);
    if (sessionId.isEmpty()) {
        respondError(exchange, 400, jsonrpc::ErrorCode::InvalidRequest,
                     QStringLiteral("Missing Mcp-Session-Id header: send initialize first"));
        return m_sessions.end();
    }
    const auto it = m_sessions.find(sessionId);
    if (it == m_sessions.end()) {
        respondError(exchange, 404, jsonrpc::ErrorCode::InvalidRequest,
                     QStringLiteral("Session not found"));
    }
    return it;
}

void HttpTransport::handlePost(const http::ExchangePtr &exchange)
{
    const http::HttpRequest &request = exchange->request();
    if (!request.headers.value("Content-Type").toLower().contains("application/json")) {
        respondError(exchange, 415, jsonrpc::ErrorCode::InvalidRequest,
                     QStringLiteral("Content-Type must be application/json"));
        return;
    }
    const jsonrpc::ParseResult parsed = jsonrpc::parse(request.body);
    if (parsed.messages.isEmpty()) {
        http::HttpResponse response;
        response.status = 400;
        response.headers.add("Content-Type", "application/json");
        // A batch whose every element is malformed gets an array of errors.
        response.body = parsed.batch ? jsonrpc::serialize(parsed.errors)
                                     : jsonrpc::serialize(parsed.errors.first());
        exchange->respond(std::move(response));
        return;
    }
    const QByteArray sessionId = request.headers.value(mcp::Header::SessionId);
    if (!parsed.batch) {
        const jsonrpc::Message &message = parsed.messages.first();
        // Per-request _meta marks the stateless revision; a legacy session may still carry the
        // key as opaque metadata.
        const auto requested = DemoMcpServer::requestedStatelessVersion(message);
        if (requested
            && (sessionId.isEmpty() || mcp::isAtLeast(*requested, mcp::Revision::V2026_07_28))) {
            serveStateless(exchange, message);
            return;
        }
        if (message.isRequest() && message.method == QLatin1String("initialize")) {
            serveInitialize(exchange, message);
            return;
        }
    }
    serveSession(exchange, parsed);
}

void HttpTransport::serveStateless(const http::ExchangePtr &exchange,
                                   const jsonrpc::Message &message)
{
    const http::HttpHeaders &headers = exchange->request().headers;
    if (const auto error = DemoMcpServer::checkStatelessMeta(message)) {
        respondError(exchange, 400, *error);
        return;
    }
    const QString version = *DemoMcpServer::requestedStatelessVersion(message);
    auto mismatch = [&](const QString &text) {
        respondError(exchange, 400, mcp::ErrorCode::HeaderMismatch,
                     QStringLiteral("Header mismatch: ") + text,
                     message.isRequest() ? message.id : QJsonValue(QJsonValue::Null));
    };
    if (QString::fromLatin1(headers.value(mcp::Header::ProtocolVersion)) != version) {
        mismatch(QStringLiteral(
            "MCP-Protocol-Version must be present and equal the _meta protocol version"));
        return;
    }
    if (QString::fromLatin1(headers.value(mcp::Header::Method)) != message.method) {
        mismatch(QStringLiteral("Mcp-Method must be present and equal the method"));
        return;
    }
    const QJsonObject params = message.paramsObject();
    QString nameSource;
    if (message.method == QLatin1String("tools/call")
        || message.method == QLatin1String("prompts/get"))
        nameSource = QStringLiteral("name");
    else if (message.method == QLatin1String("resources/read"))
        nameSource = QStringLiteral("uri");
    if (!nameSource.isEmpty()) {
        const QByteArray name = headers.value(mcp::Header::Name);
        if (name.isEmpty() || decodeHeaderValue(name) != params.value(nameSource).toString()) {
            mismatch(
                QStringLiteral("Mcp-Name must be present and equal params.%1").arg(nameSource));
            return;
        }
    }
    if (!message.isRequest()) {
        exchange->respond(http::HttpResponse::empty(202));
        return;
    }

    auto owned = std::make_unique<DemoMcpServer>();
    DemoMcpServer *server = owned.get();
    const http::HttpExchange *key = exchange.get();
    m_statelessCalls.emplace(key, std::move(owned));
    auto done = [this, key] {
        const auto it = m_statelessCalls.find(key);
        if (it == m_statelessCalls.end())
            return;
        it->second->cancelAll();
        it->second.release()->deleteLater(); // we may be inside one of its calls
        m_statelessCalls.erase(it);
    };
    // In this revision a closed response stream is the cancellation.
    exchange->setClosedHandler(done);
    auto writer = std::make_shared<ResponseWriter>();
    writer->exchange = exchange;
    writer->sseAccepted = headers.value("Accept").contains("text/event-stream");
    server->handle(message, [writer, done](const jsonrpc::Message &out, bool final) {
        if (!final) {
            writer->notify(jsonrpc::serialize(out));
            return;
        }
        writer->finish(jsonrpc::serialize(out), statelessStatus(out));
        done();
    });
}

void HttpTransport::serveInitialize(const http::ExchangePtr &exchange,
                                    const jsonrpc::Message &message)
{
    auto server = std::make_unique<DemoMcpServer>();
    jsonrpc::Message answer;
    server->handle(message, [&answer](const jsonrpc::Message &out, bool) { answer = out; });
    if (answer.kind != jsonrpc::MessageKind::Response) {
        respondError(exchange, 400, answer);
        return;
    }
    evictIfFull();
    const QByteArray sessionId = newSessionId();
    auto session = std::make_unique<Session>();
    session->server = std::move(server);
    session->lastUse = ++m_useCounter;
    m_sessions.emplace(sessionId, std::move(session));
    http::HttpResponse response;
    response.headers.add("Content-Type", "application/json");
    response.headers.add(mcp::Header::SessionId, sessionId);
    response.body = jsonrpc::serialize(answer);
    exchange->respond(std::move(response));
}

void HttpTransport::serveSession(const http::ExchangePtr &exchange,
                                 const jsonrpc::ParseResult &parsed)
{
    const http::HttpHeaders &headers = exchange->request().headers;
    const auto it = sessionOf(exchange);
    if (it == m_sessions.end())
        return;
    Session &session = *it->second;
    session.lastUse = ++m_useCounter;
    DemoMcpServer *server = session.server.get();
    // Without the header a client is assumed to speak the version agreed at initialize.
    const QByteArray headerVersion = headers.value(mcp::Header::ProtocolVersion);
    if (!headerVersion.isEmpty()
        && QString::fromLatin1(headerVersion) != server->sessionVersion()) {
        respondError(
            exchange, 400, jsonrpc::ErrorCode::InvalidRequest,
            QStringLiteral("Unsupported MCP-Protocol-Version %1 for this session (agreed: %2)")
                .arg(QString::fromLatin1(headerVersion), server->sessionVersion()));
        return;
    }

    auto writer = std::make_shared<ResponseWriter>();
    writer->exchange = exchange;
    writer->sseAccepted = headers.value("Accept").contains("text/event-stream");

    if (!parsed.batch) {
        const jsonrpc::Message &message = parsed.messages.first();
        if (!message.isRequest()) {
            server->handle(message, {});
            exchange->respond(http::HttpResponse::empty(202));
            return;
        }
        // In these revisions a dropped stream is not a cancellation: the call runs on, unheard.
        server->handle(message, [writer](const jsonrpc::Message &out, bool final) {
            if (final)
                writer->finish(jsonrpc::serialize(out), 200);
            else
                writer->notify(jsonrpc::serialize(out));
        });
        return;
    }

    if (!server->batchesAllowed()) {
        respondError(exchange, 400, jsonrpc::ErrorCode::InvalidRequest,
                     QStringLiteral("Invalid Request: protocol version %1 has no batches")
                         .arg(server->sessionVersion()));
        return;
    }
    const QList<jsonrpc::Message> malformed = parsed.errors;
    server->handleBatch(parsed.messages,
                        [writer, malformed](const QList<jsonrpc::Message> &out, bool final) {
                            if (!final) {
                                for (const jsonrpc::Message &message : out)
                                    writer->notify(jsonrpc::serialize(message));
                                return;
                            }
                            const QList<jsonrpc::Message> all = malformed + out;
                            if (all.isEmpty()) {
                                writer->exchange->respond(http::HttpResponse::empty(202));
                                return;
                            }
                            writer->finish(jsonrpc::serialize(all), 200);
                        });
}

void HttpTransport::evictIfFull()
{
    if (int(m_sessions.size()) < m_maxSessions)
        return;
    auto oldest = m_sessions.end();
    for (auto it = m_sessions.begin(); it != m_sessions.end(); ++it) {
        if (it->second->server->inFlightCount() > 0)
            continue;
        if (oldest == m_sessions.end() || it->second->lastUse < oldest->second->lastUse)
            oldest = it;
    }
    if (oldest == m_sessions.end())
        return;
    qCInfo(lcDemo) << "session limit reached; dropping the least recently used session";
    oldest->second->server.release()->deleteLater();
    m_sessions.erase(oldest);
}

} // namespace mcpgate::demo
