#include "demomcpserver.h"

#include "common/protocolversion.h"
#include "democatalog.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <mcpgate/version.h>
#include <memory>

Q_LOGGING_CATEGORY(lcDemo, "mcpgate.demo", QtInfoMsg)

namespace mcpgate::demo {

using jsonrpc::ErrorCode::InvalidParams;
using jsonrpc::ErrorCode::InvalidRequest;
using jsonrpc::ErrorCode::MethodNotFound;

struct DemoMcpServer::Call
{
    QJsonValue id;
    QString version;
    mcp::RevisionFeatures features;
    QJsonValue progressToken = QJsonValue(QJsonValue::Undefined);
    Reply reply;
};

// A request that answers later: a slow tool call or an open subscription.
struct DemoMcpServer::Running
{
    Call call;
    QTimer *timer = nullptr; // owned by the server; deleted later, as it may be mid-signal
    int step = 0;
    int steps = 0;

    ~Running()
    {
        if (timer) {
            timer->stop();
            timer->deleteLater();
        }
    }
};

namespace {

const QLatin1String kMeta("_meta");

QJsonObject requestMeta(const jsonrpc::Message &request)
{
    return request.paramsObject().value(kMeta).toObject();
}

QJsonObject serverInfo(const mcp::RevisionFeatures &features)
{
    QJsonObject info {{QStringLiteral("name"), QStringLiteral("mcpgate-demo-server")},
                      {QStringLiteral("version"), QStringLiteral(MCPGATE_VERSION)}};
    if (features.titles)
        info.insert(QStringLiteral("title"), QStringLiteral("MCPGate demo server"));
    return info;
}

QJsonObject capabilities()
{
    return QJsonObject {
        {QStringLiteral("tools"), QJsonObject {{QStringLiteral("listChanged"), true}}},
        {QStringLiteral("resources"),
         QJsonObject {{QStringLiteral("subscribe"), false},
                      {QStringLiteral("listChanged"), false}}},
        {QStringLiteral("prompts"), QJsonObject {{QStringLiteral("listChanged"), false}}},
        {QStringLiteral("logging"), QJsonObject {}},
    };
}

bool isLogLevel(const QString &level)
{
    static const QStringList levels = {
        QStringLiteral("debug"),   QStringLiteral("info"),      QStringLiteral("notice"),
        QStringLiteral("warning"), QStringLiteral("error"),     QStringLiteral("critical"),
        QStringLiteral("alert"),   QStringLiteral("emergency"),
    };
    return levels.contains(level);
}

} // namespace

DemoMcpServer::DemoMcpServer(QObject *parent)
    : QObject(parent)
{ }

DemoMcpServer::~DemoMcpServer() = default;

QStringList DemoMcpServer::supportedVersions()
{
    QStringList versions = mcp::knownVersions();
    std::reverse(versions.begin(), versions.end());
    return versions;
}

bool DemoMcpServer::batchesAllowed() const
{
    const auto features = mcp::features(m_sessionVersion);
    return features && features->batchesAllowed;
}

std::optional<QString> DemoMcpServer::requestedStatelessVersion(const jsonrpc::Message &request)
{
    const QJsonValue version
        = requestMeta(request).value(QLatin1String(mcp::MetaKey::ProtocolVersion));
    if (version.isUndefined())
        return std::nullopt;
    return version.toString();
}

std::optional<jsonrpc::Message> DemoMcpServer::checkStatelessMeta(const jsonrpc::Message &request)
{
    const QJsonObject meta = requestMeta(request);
    const QJsonValue version = meta.value(QLatin1String(mcp::MetaKey::ProtocolVersion));
    if (!version.isString()) {
        return jsonrpc::makeError(request.id, InvalidParams,
                                  QStringLiteral("Missing required _meta field %1")
                                      .arg(QLatin1String(mcp::MetaKey::ProtocolVersion)));
    }
    const auto features = mcp::features(version.toString());
    if (!features || !features->statelessRequests) {
        return jsonrpc::makeError(request.id, mcp::ErrorCode::UnsupportedProtocolVersion,
                                  QStringLiteral("Unsupported protocol version"),
                                  QJsonObject {{QStringLiteral("supported"),
                                                QJsonArray::fromStringList(supportedVersions())},
                                               {QStringLiteral("requested"), version}});
    }
    if (!meta.value(QLatin1String(mcp::MetaKey::ClientCapabilities)).isObject()) {
        return jsonrpc::makeError(request.id, InvalidParams,
                                  QStringLiteral("Missing required _meta field %1")
                                      .arg(QLatin1String(mcp::MetaKey::ClientCapabilities)));
    }
    return std::nullopt;
}

void DemoMcpServer::handle(const jsonrpc::Message &message, const Reply &reply)
{
    switch (message.kind) {
    case jsonrpc::MessageKind::Request:
        handleRequest(message, reply);
        return;
    case jsonrpc::MessageKind::Notification:
        if (message.method == QLatin1String("notifications/cancelled")) {
            const QJsonObject params = message.paramsObject();
            qCDebug(lcDemo) << "cancel"
                            << jsonrpc::idToString(params.value(QLatin1String("requestId")))
                            << params.value(QLatin1String("reason")).toString();
            cancel(params.value(QLatin1String("requestId")));
        }
        // notifications/initialized and anything else need no action.
        return;
    case jsonrpc::MessageKind::Response:
    case jsonrpc::MessageKind::ErrorResponse:
        return; // this server sends no requests, so no response is awaited
    }
}

void DemoMcpServer::handleBatch(const QList<jsonrpc::Message> &messages, const BatchReply &reply)
{
    if (!batchesAllowed()) {
        reply({jsonrpc::makeError(
                  QJsonValue::Null, InvalidRequest,
                  QStringLiteral(
                      "Invalid Request: batches are not supported by this protocol version"))},
              true);
        return;
    }
    struct Collector
    {
        QList<jsonrpc::Message> responses;
        int pending = 0;
        BatchReply reply;
    };
    auto collector = std::make_shared<Collector>();
    collector->reply = reply;
    for (const jsonrpc::Message &message : messages)
        collector->pending += message.isRequest() ? 1 : 0;
    if (collector->pending == 0) {
        for (const jsonrpc::Message &message : messages)
            handle(message, {});
        reply({}, true);
        return;
    }
    for (const jsonrpc::Message &message : messages) {
        handle(message, [collector](const jsonrpc::Message &out, bool final) {
            if (!final) {
                collector->reply({out}, false);
                return;
            }
            collector->responses.append(out);
            if (--collector->pending == 0)
                collector->reply(collector->responses, true);
        });
    }
}

void DemoMcpServer::cancel(const QJsonValue &requestId)
{
    if (!jsonrpc::isValidId(requestId))
        return; // malformed cancellations are ignored
    m_inFlight.erase(jsonrpc::idKey(requestId));
}

void DemoMcpServer::cancelAll()
{
    m_inFlight.clear();
}

void DemoMcpServer::handleRequest(const jsonrpc::Message &request, const Reply &reply)
{
    Call call;
    call.id = request.id;
    call.reply = reply;
    const QJsonValue token = requestMeta(request).value(QLatin1String(mcp::MetaKey::ProgressToken));
    if (jsonrpc::isValidId(token))
        call.progressToken = token;

    // A dual-era server: per-request _meta selects the stateless revision; initialize selects a
    // handshake revision for the rest of this connection.
    if (const auto requested = requestedStatelessVersion(request)) {
        const auto features = mcp::features(*requested);
        const bool stateless = features && features->statelessRequests;
        if (stateless || !isInitialized()) {
            if (const auto error = checkStatelessMeta(request)) {
                reply(*error, true);
                return;
            }
            Q_ASSERT(stateless); // checkStatelessMeta() refuses everything else
            call.version = *requested;
            call.features = *features;
            dispatch(call, request);
            return;
        }
        // An initialized session treats the key as opaque metadata.
    }

    if (request.method == QLatin1String("initialize")) {
        initialize(call, request);
        return;
    }
    if (!isInitialized()) {
        if (request.method == QLatin1String("ping")) {
            reply(jsonrpc::makeResult(call.id, QJsonObject {}), true);
            return;
        }
        fail(call, InvalidParams,
             QStringLiteral("Send initialize first, or give the protocol version in _meta[\"%1\"]")
                 .arg(QLatin1String(mcp::MetaKey::ProtocolVersion)));
        return;
    }
    call.version = m_sessionVersion;
    call.features = mcp::features(*mcp::revisionFromString(m_sessionVersion));
    dispatch(call, request);
}

void DemoMcpServer::initialize(const Call &call, const jsonrpc::Message &request)
{
    if (isInitialized()) {
        qCWarning(lcDemo) << "initialize received twice on one connection";
        fail(call, InvalidRequest, QStringLiteral("Already initialized"));
        return;
    }
    const QJsonValue requested = request.paramsObject().value(QLatin1String("protocolVersion"));
    if (!requested.isString()) {
        fail(call, InvalidParams, QStringLiteral("initialize needs a string \"protocolVersion\""));
        return;
    }
    m_sessionVersion = mcp::negotiate(requested.toString(), mcp::initializeVersions());
    const auto features = mcp::features(*mcp::revisionFromString(m_sessionVersion));
    qCDebug(lcDemo) << "initialize: asked" << requested.toString() << "agreed" << m_sessionVersion;
    QJsonObject result {{QStringLiteral("protocolVersion"), m_sessionVersion},
                        {QStringLiteral("capabilities"), capabilities()},
                        {QStringLiteral("serverInfo"), serverInfo(features)},
                        {QStringLiteral("instructions"), DemoCatalog::instructions()}};
    call.reply(jsonrpc::makeResult(call.id, result), true);
}

void DemoMcpServer::dispatch(const Call &call, const jsonrpc::Message &request)
{
    const QString &method = request.method;
    const QJsonObject params = request.paramsObject();
    const mcp::RevisionFeatures &f = call.features;
    const bool isList = method.endsWith(QLatin1String("/list"));
    if (isList && params.contains(QLatin1String("cursor"))) {
        // Every list fits one page, so no cursor this server handed out can exist.
        fail(call, InvalidParams, QStringLiteral("Invalid cursor"));
        return;
    }

    if (method == QLatin1String("ping") && f.ping) {
        answer(call, {});
    } else if (method == QLatin1String("server/discover") && f.serverDiscover) {
        answer(
            call,
            {{QStringLiteral("supportedVersions"), QJsonArray::fromStringList(supportedVersions())},
             {QStringLiteral("capabilities"), capabilities()},
             {QStringLiteral("instructions"), DemoCatalog::instructions()}},
            true);
    } else if (method == QLatin1String("logging/setLevel") && f.loggingSetLevel) {
        const QString level = params.value(QLatin1String("level")).toString();
        if (!isLogLevel(level)) {
            fail(call, InvalidParams, QStringLiteral("Unknown log level"));
            return;
        }
        // Accepted and otherwise unused: this server sends no log notifications.
        answer(call, {});
    } else if (method == QLatin1String("tools/list")) {
        answer(call, {{QStringLiteral("tools"), DemoCatalog::tools(f)}}, true);
    } else if (method == QLatin1String("tools/call")) {
        callTool(call, params);
    } else if (method == QLatin1String("resources/list")) {
        answer(call, {{QStringLiteral("resources"), DemoCatalog::resources(f)}}, true);
    } else if (method == QLatin1String("resources/templates/list")) {
        answer(call, {{QStringLiteral("resourceTemplates"), QJsonArray {}}}, true);
    } else if (method == QLatin1String("resources/read")) {
        const QString uri = params.value(QLatin1String("uri")).toString();
        if (const auto contents = DemoCatalog::readResource(uri))
            answer(call, {{QStringLiteral("contents"), *contents}}, true);
        else
            fail(call, f.resourceNotFoundCode, QStringLiteral("Resource not found"),
                 QJsonObject {{QStringLiteral("uri"), uri}});
    } else if (method == QLatin1String("prompts/list")) {
        answer(call, {{QStringLiteral("prompts"), DemoCatalog::prompts(f)}}, true);
    } else if (method == QLatin1String("prompts/get")) {
        QString error;
        const auto prompt
            = DemoCatalog::getPrompt(params.value(QLatin1String("name")).toString(),
                                     params.value(QLatin1String("arguments")).toObject(), &error);
        if (prompt)
            answer(call, *prompt);
        else
            fail(call, InvalidParams, error);
    } else if (method == QLatin1String("subscriptions/listen") && f.subscriptionsListen) {
        listen(call, params);
    } else {
        fail(call, MethodNotFound, QStringLiteral("Method not found: %1").arg(method));
    }
}

void DemoMcpServer::callTool(const Call &call, const QJsonObject &params)
{
    const QJsonValue name = params.value(QLatin1String("name"));
    if (!name.isString()) {
        fail(call, InvalidParams, QStringLiteral("tools/call needs a string \"name\""));
        return;
    }
    if (!DemoCatalog::hasTool(name.toString())) {
        fail(call, InvalidParams, QStringLiteral("Unknown tool: %1").arg(name.toString()));
        return;
    }
    const QJsonValue argumentsValue = params.value(QLatin1String("arguments"));
    if (!argumentsValue.isUndefined() && !argumentsValue.isObject()) {
        fail(call, InvalidParams, QStringLiteral("\"arguments\" must be an object"));
        return;
    }
    const QJsonObject arguments = argumentsValue.toObject();
    if (const auto problem = DemoCatalog::checkArguments(name.toString(), arguments)) {
        // 2025-11-25 moved argument errors into the tool result, where a model can see them.
        if (call.features.inputValidationAsToolError)
            answer(call, DemoCatalog::toolError(*problem));
        else
            fail(call, InvalidParams, *problem);
        return;
    }
    if (name.toString() == QLatin1String("slow")) {
        startSlow(call, arguments.value(QLatin1String("seconds")).toDouble(),
                  arguments.value(QLatin1String("steps")).toInt(5));
        return;
    }
    answer(call, DemoCatalog::callTool(name.toString(), arguments, call.features));
}

void DemoMcpServer::startSlow(const Call &call, double seconds, int steps)
{
    const QString key = jsonrpc::idKey(call.id);
    if (m_inFlight.count(key)) {
        fail(call, InvalidRequest,
             QStringLiteral("Request id %1 is already in use").arg(jsonrpc::idToString(call.id)));
        return;
    }
    auto running = std::make_unique<Running>();
    running->call = call;
    running->steps = steps;
    running->timer = new QTimer(this);
    running->timer->setInterval(qRound(seconds * 1000.0 / steps));
    connect(running->timer, &QTimer::timeout, this, [this, key] { slowStep(key); });
    running->timer->start();
    m_inFlight.emplace(key, std::move(running));
}

void DemoMcpServer::slowStep(const QString &key)
{
    auto it = m_inFlight.find(key);
    if (it == m_inFlight.end())
        return;
    Running &running = *it->second;
    ++running.step;
    const int step = running.step;
    const int steps = running.steps;
    if (!running.call.progressToken.isUndefined()) {
        QJsonObject progress {{QStringLiteral("progressToken"), running.call.progressToken},
                              {QStringLiteral("progress"), step},
                              {QStringLiteral("total"), steps}};
        if (running.call.features.progressMessage)
            progress.insert(QStringLiteral("message"),
                            QStringLiteral("step %1 of %2").arg(step).arg(steps));
        const Reply reply = running.call.reply;
        reply(jsonrpc::makeNotification(QStringLiteral("notifications/progress"), progress), false);
        // The transport may have cancelled the call while taking the notification.
        it = m_inFlight.find(key);
        if (it == m_inFlight.end())
            return;
    }
    if (step < steps)
        return;
    const std::unique_ptr<Running> finished = std::move(it->second);
    m_inFlight.erase(it);
    answer(finished->call,
           DemoCatalog::textResult(QStringLiteral("done after %1 steps").arg(steps)));
}

void DemoMcpServer::listen(const Call &call, const QJsonObject &params)
{
    const QString key = jsonrpc::idKey(call.id);
    if (m_inFlight.count(key)) {
        fail(call, InvalidRequest,
             QStringLiteral("Request id %1 is already in use").arg(jsonrpc::idToString(call.id)));
        return;
    }
    // The lists never change, so every list-changed filter can be honoured (by silence); this
    // server offers no resource subscriptions, which the acknowledgement therefore leaves out.
    const QJsonObject wanted = params.value(QLatin1String("notifications")).toObject();
    QJsonObject granted;
    for (const QString &type :
         {QStringLiteral("toolsListChanged"), QStringLiteral("promptsListChanged"),
          QStringLiteral("resourcesListChanged")}) {
        if (wanted.value(type).toBool())
            granted.insert(type, true);
    }
    auto running = std::make_unique<Running>();
    running->call = call;
    m_inFlight.emplace(key, std::move(running));
    const QJsonObject ack {
        {kMeta, QJsonObject {{QLatin1String(mcp::MetaKey::SubscriptionId), call.id}}},
        {QStringLiteral("notifications"), granted}};
    call.reply(
        jsonrpc::makeNotification(QStringLiteral("notifications/subscriptions/acknowledged"), ack),
        false);
}

void DemoMcpServer::answer(const Call &call, QJsonObject result, bool cacheable)
{
    if (call.features.resultTypeRequired) {
        result.insert(QStringLiteral("resultType"), QStringLiteral("complete"));
        QJsonObject meta = result.value(kMeta).toObject();
        meta.insert(QLatin1String(mcp::MetaKey::ServerInfo), serverInfo(call.features));
        result.insert(kMeta, meta);
    }
    if (cacheable && call.features.cacheHints) {
        // Nothing here ever changes and nothing depends on the caller.
        result.insert(QStringLiteral("ttlMs"), 300000);
        result.insert(QStringLiteral("cacheScope"), QStringLiteral("public"));
    }
    call.reply(jsonrpc::makeResult(call.id, result), true);
}

void DemoMcpServer::fail(const Call &call, int code, const QString &text, const QJsonValue &data)
{
    call.reply(jsonrpc::makeError(call.id, code, text, data), true);
}

} // namespace mcpgate::demo
