// One request and its response. The connection owns the socket; handlers hold the exchange
// (possibly past the client's departure) and answer through it, now or later. Every method is
// safe to call after the client has gone: it then does nothing.
#pragma once

#include "httprequest.h"
#include "httpresponse.h"

#include <QPointer>

#include <functional>
#include <memory>

namespace mcpgate::http {

class ApiError;
class HttpConnection;

class HttpExchange final : public std::enable_shared_from_this<HttpExchange>
{
public:
    HttpExchange(HttpConnection *connection, HttpRequest request, QByteArray requestId);
    ~HttpExchange();
    Q_DISABLE_COPY_MOVE(HttpExchange)

    const HttpRequest &request() const { return m_request; }
    HttpRequest &request() { return m_request; }
    // Echoed as X-Request-Id on the response: the client's own when well-formed, else generated.
    const QByteArray &requestId() const { return m_requestId; }

    // The client is still connected and the response is not complete yet.
    bool isOpen() const;
    bool hasResponded() const { return m_state != State::Pending; }

    // Sends a complete response. A second call is ignored.
    void respond(HttpResponse response);
    // Sends `error` as application/problem+json.
    void fail(const ApiError &error);

    // Streams a chunked response (SSE). Data written before earlier pipelined responses are out
    // is held and sent in order.
    void beginStream(int status, const HttpHeaders &headers);
    // Returns false when the stream is closed (client gone or stream ended).
    bool writeChunk(const QByteArray &data);
    void endStream();
    // Bytes accepted but not yet handed to the kernel; producers pause above a high-water mark
    // and resume from the drained handler.
    qint64 bufferedBytes() const;

    void setDrainedHandler(std::function<void()> handler) { m_onDrained = std::move(handler); }
    // The client went away (or the server shut down) before the response was complete.
    void setClosedHandler(std::function<void()> handler) { m_onClosed = std::move(handler); }
    // The response was completely handed to the socket; status and body bytes for the access log.
    void setFinishedHandler(std::function<void(int status, qint64 bodyBytes)> handler)
    {
        m_onFinished = std::move(handler);
    }

private:
    friend class HttpConnection;
    enum class State
    {
        Pending,
        Responded,
        Streaming,
        StreamEnded
    };

    void connectionClosed();
    void notifyDrained();
    void notifyFinished();

    QPointer<HttpConnection> m_connection;
    HttpRequest m_request;
    QByteArray m_requestId;
    State m_state = State::Pending;
    bool m_closed = false;
    bool m_finishNotified = false;
    bool m_closeConnection = false; // the connection closes after this response
    int m_status = 0;
    qint64 m_bodyBytes = 0;
    QByteArray m_pending; // serialized output waiting for earlier responses
    std::function<void()> m_onDrained;
    std::function<void()> m_onClosed;
    std::function<void(int, qint64)> m_onFinished;
};

using ExchangePtr = std::shared_ptr<HttpExchange>;

} // namespace mcpgate::http
