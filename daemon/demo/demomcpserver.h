// The demo server's MCP protocol logic, independent of any transport: it takes decoded JSON-RPC
// messages of one client connection (stdio) or session (HTTP) and answers through callbacks.
#pragma once

#include "common/jsonrpc.h"

#include <QObject>
#include <QStringList>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace mcpgate::demo {

class DemoMcpServer final : public QObject
{
    Q_OBJECT
public:
    // What the server sends about one request: zero or more notifications related to it
    // (progress, a subscription's acknowledgement), then exactly one response with `final` set.
    // Never called again once the request was cancelled.
    using Reply = std::function<void(const jsonrpc::Message &message, bool final)>;
    // A batch's responses arrive together in one call, after the last request of it finished;
    // related notifications come one per call before that, with `final` false.
    using BatchReply = std::function<void(const QList<jsonrpc::Message> &messages, bool final)>;

    explicit DemoMcpServer(QObject *parent = nullptr);
    ~DemoMcpServer() override;
    Q_DISABLE_COPY_MOVE(DemoMcpServer)

    // Requests get their answer through `reply`, possibly later; notifications and responses
    // are absorbed (`reply` is not called).
    void handle(const jsonrpc::Message &message, const Reply &reply);
    // A JSON-RPC batch; allowed only when batchesAllowed(), else answered with one error.
    void handleBatch(const QList<jsonrpc::Message> &messages, const BatchReply &reply);

    // Stops an in-flight request without answering it (stdio notifications/cancelled arrives
    // through handle(); HTTP transports call this when a response stream closes).
    void cancel(const QJsonValue &requestId);
    void cancelAll();
    int inFlightCount() const { return int(m_inFlight.size()); }

    // The protocol version agreed by initialize; empty before.
    QString sessionVersion() const { return m_sessionVersion; }
    bool isInitialized() const { return !m_sessionVersion.isEmpty(); }
    bool batchesAllowed() const;

    // Every version this server speaks, newest first.
    static QStringList supportedVersions();
    // The protocol version a request asks for in its per-request _meta, if any.
    static std::optional<QString> requestedStatelessVersion(const jsonrpc::Message &request);
    // Validates a stateless-revision request's _meta: the error response to send, or nullopt.
    static std::optional<jsonrpc::Message> checkStatelessMeta(const jsonrpc::Message &request);

private:
    struct Call;
    struct Running;

    void handleRequest(const jsonrpc::Message &request, const Reply &reply);
    void dispatch(const Call &call, const jsonrpc::Message &request);
    void initialize(const Call &call, const jsonrpc::Message &request);
    void callTool(const Call &call, const QJsonObject &params);
    void startSlow(const Call &call, double seconds, int steps);
    void listen(const Call &call, const QJsonObject &params);
    void slowStep(const QString &key);
    void answer(const Call &call, QJsonObject result, bool cacheable = false);
    void fail(const Call &call, int code, const QString &text,
              const QJsonValue &data = QJsonValue(QJsonValue::Undefined));

    QString m_sessionVersion;
    std::map<QString, std::unique_ptr<Running>> m_inFlight; // by jsonrpc::idKey
};

} // namespace mcpgate::demo
