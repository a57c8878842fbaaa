// One client connection: parses HTTP/1.1 requests with http-parser, enforces the limits and
// timeouts, and writes responses strictly in request order even when they are produced out of
// order by asynchronous handlers.
#pragma once

#include "httpexchange.h"
#include "httpserver.h"

#include <QObject>
#include <QTimer>

#include <deque>
#include <http_parser.h>
#include <memory>

class QTcpSocket;

namespace mcpgate::http {

class HttpConnection final : public QObject
{
    Q_OBJECT
public:
    HttpConnection(QTcpSocket *socket, const HttpServerLimits &limits,
                   const HttpServer::RequestHandler &handler, QObject *parent);
    ~HttpConnection() override;
    Q_DISABLE_COPY_MOVE(HttpConnection)

    // Finish the responses in flight, accept no new request, then close.
    void beginShutdown();
    // Close now, whatever is in flight.
    void abort();
    // Refuse the connection with a 503 (the server is at its connection limit).
    void refuseOverloaded();

Q_SIGNALS:
    void closed();

private:
    friend class HttpExchange;

    // Called by an exchange when it has output or has finished.
    void exchangeUpdated();
    qint64 bufferedBytes(const HttpExchange *exchange) const;
    QByteArray serializeHead(int status, const HttpHeaders &headers, const QByteArray &requestId,
                             qint64 contentLength, bool chunked, bool closing) const;
    bool closesAfter(const HttpExchange *exchange) const;

    void readInput();
    void processInput();
    void dispatchReady();
    void flush();
    void reject(int status, const QString &detail);
    void closeWhenFlushed();
    void socketDisconnected();
    void timerFired();
    void restartTimer();
    void finish();

    // http-parser callbacks
    static const http_parser_settings &parserSettings();
    static int onMessageBegin(http_parser *parser);
    static int onUrl(http_parser *parser, const char *at, size_t length);
    static int onHeaderField(http_parser *parser, const char *at, size_t length);
    static int onHeaderValue(http_parser *parser, const char *at, size_t length);
    static int onHeadersComplete(http_parser *parser);
    static int onBody(http_parser *parser, const char *at, size_t length);
    static int onMessageComplete(http_parser *parser);
    int headersComplete();
    bool countHeaderBytes(size_t length);

    QTcpSocket *m_socket; // owned (child)
    const HttpServerLimits m_limits;
    const HttpServer::RequestHandler &m_handler;
    http_parser m_parser;
    QByteArray m_input;
    QTimer m_timer;

    // The request being parsed.
    HttpRequest m_request;
    QByteArray m_url;
    QByteArray m_field;
    QByteArray m_value;
    bool m_inValue = false;
    bool m_inMessage = false;
    bool m_headersDone = false;
    qint64 m_headerBytes = 0;
    int m_rejectStatus = 0;
    QString m_rejectDetail;

    std::deque<ExchangePtr> m_ready; // parsed, not yet handed to the handler
    std::deque<ExchangePtr> m_inFlight; // handed out, in request order, awaiting their output
    std::deque<bool> m_closeAfter; // parallel to m_inFlight: keep-alive ends after it
    bool m_closing = false; // no further requests are read
    bool m_lingering = false;
    bool m_finished = false;
    bool m_flushing = false;
};

} // namespace mcpgate::http
