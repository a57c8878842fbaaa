// JSON-RPC 2.0 codec shared by the gateway and the demo MCP server: one message value type, a
// strict parser (single message or batch) that says which error to answer, and Compact output.
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

#include <optional>

class QJsonObject;

namespace mcpgate::jsonrpc {

// The error codes JSON-RPC 2.0 defines; MCP's own codes live in common/protocolversion.h.
namespace ErrorCode {
inline constexpr int ParseError = -32700;
inline constexpr int InvalidRequest = -32600;
inline constexpr int MethodNotFound = -32601;
inline constexpr int InvalidParams = -32602;
inline constexpr int InternalError = -32603;
} // namespace ErrorCode

enum class MessageKind
{
    Request,
    Notification,
    Response,
    ErrorResponse
};

struct Message
{
    MessageKind kind = MessageKind::Notification;
    // A string or an integer (kept as qint64, so ids above 2^31 and 2^53 survive); null only in an
    // error response to a message whose id could not be read, which is then sent without an id
    // (as MCP's schema asks since 2025-11-25); undefined for notifications.
    QJsonValue id = QJsonValue(QJsonValue::Undefined);
    QString method; // requests and notifications
    QJsonValue params = QJsonValue(QJsonValue::Undefined); // object, array, or undefined
    QJsonValue result; // responses; may be any JSON value
    int errorCode = 0; // error responses
    QString errorMessage;
    QJsonValue errorData = QJsonValue(QJsonValue::Undefined);

    bool isRequest() const { return kind == MessageKind::Request; }
    bool isNotification() const { return kind == MessageKind::Notification; }
    bool isResponse() const
    {
        return kind == MessageKind::Response || kind == MessageKind::ErrorResponse;
    }
    // params as an object; empty when absent or positional.
    QJsonObject paramsObject() const;
};

struct ParseOptions
{
    qsizetype maxBytes = 4 * 1024 * 1024;
    // Batches exist only in MCP 2025-03-26; callers speaking another revision turn them off.
    bool allowBatch = true;
    int maxBatchSize = 256;
    // Two parsers that disagree on which duplicate wins let a message say one thing to the
    // gateway's policy check and another to the upstream, so duplicates are refused.
    bool rejectDuplicateKeys = true;
};

struct ParseResult
{
    // Well-formed messages, in input order.
    QList<Message> messages;
    // Error responses to send back: one for input that is not usable at all (bad JSON, too
    // large, empty batch), else one per malformed message. Their id is the message's when it
    // could be read, else null. JSON-RPC never answers a response, so callers drop these when
    // the malformed message was meant as one.
    QList<Message> errors;
    // The input was a batch whose elements were examined one by one, so the answer is an array.
    // A batch refused as a whole (empty, too long, not allowed) leaves this false: one error.
    bool batch = false;

    bool isValid() const { return errors.isEmpty() && !messages.isEmpty(); }
};

ParseResult parse(const QByteArray &data, const ParseOptions &options = {});

// Validates one decoded JSON value as a message. On failure returns nullopt and, when `error`
// is given, fills it with the error response to send.
std::optional<Message> fromJson(const QJsonValue &value, Message *error = nullptr);
QJsonObject toJson(const Message &message);

// One line of Compact JSON, without a trailing newline.
QByteArray serialize(const Message &message);
QByteArray serialize(const QList<Message> &batch);

Message makeRequest(const QJsonValue &id, const QString &method, const QJsonValue &params = {});
Message makeNotification(const QString &method, const QJsonValue &params = {});
Message makeResult(const QJsonValue &id, const QJsonValue &result);
Message makeError(const QJsonValue &id, int code, const QString &message,
                  const QJsonValue &data = QJsonValue(QJsonValue::Undefined));

// A string or a whole number that fits qint64.
bool isValidId(const QJsonValue &id);
// A hashable key for an id that keeps the string "1" apart from the integer 1.
QString idKey(const QJsonValue &id);
// The id as it appears on the wire, for logs ("7", "\"abc\"").
QString idToString(const QJsonValue &id);

} // namespace mcpgate::jsonrpc
