#include "jsonrpc.h"

#include "strictjson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <climits>

namespace mcpgate::jsonrpc {

namespace {

const QLatin1String kJsonrpc("jsonrpc");
const QLatin1String kId("id");
const QLatin1String kMethod("method");
const QLatin1String kParams("params");
const QLatin1String kResult("result");
const QLatin1String kError("error");
const QLatin1String kCode("code");
const QLatin1String kMessage("message");
const QLatin1String kData("data");

Message invalid(const QJsonValue &id, const QString &why)
{
    return makeError(id, ErrorCode::InvalidRequest, QStringLiteral("Invalid Request: ") + why);
}

// The id to echo in an error about a malformed message: its own when readable, else null.
QJsonValue echoableId(const QJsonObject &object)
{
    const QJsonValue id = object.value(kId);
    return isValidId(id) ? id : QJsonValue(QJsonValue::Null);
}

// Appends a JSON value in Compact form. QJsonDocument holds only objects and arrays, so a
// scalar goes through a one-element array whose brackets are dropped.
void appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Object:
        out += QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact);
        return;
    case QJsonValue::Array:
        out += QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
        return;
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        return;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        return;
    case QJsonValue::Double:
        if (isValidId(value)) {
            out += QByteArray::number(value.toInteger());
            return;
        }
        break;
    case QJsonValue::String:
        break;
    }
    const QByteArray wrapped = QJsonDocument(QJsonArray {value}).toJson(QJsonDocument::Compact);
    out.append(wrapped.constData() + 1, wrapped.size() - 2);
}

} // namespace

QJsonObject Message::paramsObject() const
{
    return params.toObject();
}

bool isValidId(const QJsonValue &id)
{
    if (id.isString())
        return true;
    if (!id.isDouble())
        return false;
    // toInteger() falls back to its argument for fractions and values beyond qint64; two
    // different fallbacks tell a real result apart from the fallback.
    return id.toInteger(0) != 0 || id.toInteger(1) != 1;
}

QString idKey(const QJsonValue &id)
{
    if (id.isString())
        return QLatin1String("s:") + id.toString();
    if (isValidId(id))
        return QLatin1String("i:") + QString::number(id.toInteger());
    return QStringLiteral("null");
}

QString idToString(const QJsonValue &id)
{
    QByteArray out;
    appendValue(out, id);
    return QString::fromUtf8(out);
}

std::optional<Message> fromJson(const QJsonValue &value, Message *error)
{
    auto fail = [error](const Message &response) -> std::optional<Message> {
        if (error)
            *error = response;
        return std::nullopt;
    };
    if (!value.isObject())
        return fail(invalid(QJsonValue::Null, QStringLiteral("a message must be a JSON object")));
    const QJsonObject object = value.toObject();
    const QJsonValue replyId = echoableId(object);

    if (object.value(kJsonrpc) != QJsonValue(QLatin1String("2.0")))
        return fail(invalid(replyId, QStringLiteral("\"jsonrpc\" must be \"2.0\"")));

    const bool hasId = object.contains(kId);
    const QJsonValue id = object.value(kId);
    const bool hasResult = object.contains(kResult);
    const bool hasError = object.contains(kError);
    Message message;

    if (object.contains(kMethod)) {
        const QJsonValue method = object.value(kMethod);
        if (!method.isString())
            return fail(invalid(replyId, QStringLiteral("\"method\" must be a string")));
        if (hasResult || hasError)
            return fail(
                invalid(replyId, QStringLiteral("a request cannot carry a result or error")));
        if (object.contains(kParams)) {
            const QJsonValue params = object.value(kParams);
            if (!params.isObject() && !params.isArray())
                return fail(
                    invalid(replyId, QStringLiteral("\"params\" must be an object or array")));
            message.params = params;
        }
        if (hasId) {
            // MCP narrows JSON-RPC here: no null ids and no fractions.
            if (!isValidId(id))
                return fail(invalid(QJsonValue::Null,
                                    QStringLiteral("\"id\" must be a string or integer")));
            message.kind = MessageKind::Request;
            message.id = id;
        } else {
            message.kind = MessageKind::Notification;
        }
        message.method = method.toString();
        return message;
    }

    if (hasResult == hasError)
        return fail(invalid(replyId,
                            QStringLiteral("a message needs \"method\", \"result\" or \"error\"")));
    if (!hasId && hasResult)
        return fail(invalid(QJsonValue::Null, QStringLiteral("a response needs an \"id\"")));

    if (hasResult) {
        if (!isValidId(id))
            return fail(
                invalid(QJsonValue::Null, QStringLiteral("\"id\" must be a string or integer")));
        message.kind = MessageKind::Response;
        message.id = id;
        message.result = object.value(kResult);
        return message;
    }

    // An error about a message whose id could not be read has a null id or none at all.
    if (!id.isNull() && !id.isUndefined() && !isValidId(id))
        return fail(
            invalid(QJsonValue::Null, QStringLiteral("\"id\" must be a string, integer or null")));
    const QJsonValue errorValue = object.value(kError);
    const QJsonObject errorObject = errorValue.toObject();
    const QJsonValue code = errorObject.value(kCode);
    if (!errorValue.isObject() || !code.isDouble() || !isValidId(code) || code.toInteger() < INT_MIN
        || code.toInteger() > INT_MAX || !errorObject.value(kMessage).isString()) {
        return fail(invalid(
            replyId,
            QStringLiteral("\"error\" needs an integer \"code\" and a string \"message\"")));
    }
    message.kind = MessageKind::ErrorResponse;
    message.id = isValidId(id) ? id : QJsonValue(QJsonValue::Null);
    message.errorCode = static_cast<int>(code.toInteger());
    message.errorMessage = errorObject.value(kMessage).toString();
    if (errorObject.contains(kData))
        message.errorData = errorObject.value(kData);
    return message;
}

ParseResult parse(const QByteArray &data, const ParseOptions &options)
{
    ParseResult result;
    auto reject = [&result](int code, const QString &text) {
        result.errors.append(makeError(QJsonValue::Null, code, text));
        return result;
    };

    if (data.size() > options.maxBytes)
        return reject(
            ErrorCode::InvalidRequest,
            QStringLiteral("Invalid Request: message larger than %1 bytes").arg(options.maxBytes));

    const json::StrictParseResult strict = json::parseStrict(data, options.rejectDuplicateKeys);
    switch (strict.problem) {
    case json::StrictParseResult::Problem::None:
        break;
    case json::StrictParseResult::Problem::ControlCharacter:
    case json::StrictParseResult::Problem::Syntax:
        return reject(ErrorCode::ParseError, QStringLiteral("Parse error: ") + strict.detail);
    case json::StrictParseResult::Problem::DuplicateKey:
        return reject(ErrorCode::InvalidRequest,
                      QStringLiteral("Invalid Request: ") + strict.detail);
    }
    const QJsonDocument &document = strict.document;
    const QJsonValue root
        = document.isArray() ? QJsonValue(document.array()) : QJsonValue(document.object());

    if (!document.isArray()) {
        Message error;
        if (auto message = fromJson(root, &error))
            result.messages.append(*message);
        else
            result.errors.append(error);
        return result;
    }

    const QJsonArray array = document.array();
    if (!options.allowBatch)
        return reject(ErrorCode::InvalidRequest,
                      QStringLiteral("Invalid Request: batches are not supported"));
    if (array.isEmpty())
        return reject(ErrorCode::InvalidRequest, QStringLiteral("Invalid Request: empty batch"));
    if (array.size() > options.maxBatchSize) {
        return reject(ErrorCode::InvalidRequest,
                      QStringLiteral("Invalid Request: batch larger than %1 messages")
                          .arg(options.maxBatchSize));
    }
    result.batch = true;
    result.messages.reserve(array.size());
    for (const QJsonValue &element : array) {
        Message error;
        if (auto message = fromJson(element, &error))
            result.messages.append(*message);
        else
            result.errors.append(error);
    }
    return result;
}

QJsonObject toJson(const Message &message)
{
    QJsonObject object {{kJsonrpc, QStringLiteral("2.0")}};
    switch (message.kind) {
    case MessageKind::Request:
        object.insert(kId, message.id);
        Q_FALLTHROUGH();
    case MessageKind::Notification:
        object.insert(kMethod, message.method);
        if (message.params.isObject() || message.params.isArray())
            object.insert(kParams, message.params);
        break;
    case MessageKind::Response:
        object.insert(kId, message.id);
        object.insert(kResult, message.result.isUndefined() ? QJsonValue() : message.result);
        break;
    case MessageKind::ErrorResponse: {
        if (isValidId(message.id))
            object.insert(kId, message.id);
        QJsonObject error {{kCode, message.errorCode}, {kMessage, message.errorMessage}};
        if (!message.errorData.isUndefined())
            error.insert(kData, message.errorData);
        object.insert(kError, error);
        break;
    }
    }
    return object;
}

QByteArray serialize(const Message &message)
{
    // Written by hand rather than through toJson() so the envelope keeps the conventional
    // order (jsonrpc, id, then the rest) and a large result is serialised exactly once.
    QByteArray out;
    out.reserve(64);
    out += R"({"jsonrpc":"2.0")";
    switch (message.kind) {
    case MessageKind::Request:
        out += R"(,"id":)";
        appendValue(out, message.id);
        Q_FALLTHROUGH();
    case MessageKind::Notification:
        out += R"(,"method":)";
        appendValue(out, message.method);
        if (message.params.isObject() || message.params.isArray()) {
            out += R"(,"params":)";
            appendValue(out, message.params);
        }
        break;
    case MessageKind::Response:
        out += R"(,"id":)";
        appendValue(out, message.id);
        out += R"(,"result":)";
        appendValue(out, message.result);
        break;
    case MessageKind::ErrorResponse:
        if (isValidId(message.id)) {
            out += R"(,"id":)";
            appendValue(out, message.id);
        }
        out += R"(,"error":{"code":)";
        out += QByteArray::number(message.errorCode);
        out += R"(,"message":)";
        appendValue(out, message.errorMessage);
        if (!message.errorData.isUndefined()) {
            out += R"(,"data":)";
            appendValue(out, message.errorData);
        }
        out += '}';
        break;
    }
    out += '}';
    return out;
}

QByteArray serialize(const QList<Message> &batch)
{
    QByteArray out("[");
    for (qsizetype i = 0; i < batch.size(); ++i) {
        if (i > 0)
            out += ',';
        out += serialize(batch.at(i));
    }
    out += ']';
    return out;
}

Message makeRequest(const QJsonValue &id, const QString &method, const QJsonValue &params)
{
    Message message;
    message.kind = MessageKind::Request;
    message.id = id;
    message.method = method;
    message.params = params;
    return message;
}

Message makeNotification(const QString &method, const QJsonValue &params)
{
    Message message;
    message.kind = MessageKind::Notification;
    message.method = method;
    message.params = params;
    return message;
}

Message makeResult(const QJsonValue &id, const QJsonValue &result)
{
    Message message;
    message.kind = MessageKind::Response;
    message.id = id;
    message.result = result;
    return message;
}

Message makeError(const QJsonValue &id, int code, const QString &text, const QJsonValue &data)
{
    Message message;
    message.kind = MessageKind::ErrorResponse;
    message.id = id.isUndefined() ? QJsonValue(QJsonValue::Null) : id;
    message.errorCode = code;
    message.errorMessage = text;
    message.errorData = data;
    return message;
}

} // namespace mcpgate::jsonrpc
