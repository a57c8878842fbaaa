// Fuzzes the JSON-RPC codec: whatever the input, parse() must not crash, every message it
// accepts must survive serialize() and parse() again unchanged, and every error it reports must
// itself be a well-formed error response.
#include "common/jsonrpc.h"

#include <QByteArray>
#include <QJsonValue>

#include <cstdint>
#include <cstdlib>

using namespace mcpgate::jsonrpc;

namespace {

void require(bool condition)
{
    if (!condition)
        std::abort();
}

void checkRoundTrip(const Message &message)
{
    const ParseResult again = parse(serialize(message));
    require(again.errors.isEmpty() && again.messages.size() == 1);
    const Message &copy = again.messages.first();
    require(copy.kind == message.kind);
    require(idKey(copy.id) == idKey(message.id));
    require(copy.method == message.method);
    require(copy.params == message.params);
    require(copy.errorCode == message.errorCode);
    require(copy.errorMessage == message.errorMessage);
}

void checkError(const Message &error)
{
    require(error.kind == MessageKind::ErrorResponse);
    require(error.errorCode == ErrorCode::ParseError
            || error.errorCode == ErrorCode::InvalidRequest);
    require(error.id.isNull() || isValidId(error.id));
    checkRoundTrip(error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input
        = QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size));

    const ParseResult result = parse(input);
    for (const Message &message : result.messages)
        checkRoundTrip(message);
    for (const Message &error : result.errors)
        checkError(error);
    require(!result.batch || !result.messages.isEmpty() || !result.errors.isEmpty());
    require(result.batch || result.messages.size() + result.errors.size() == 1);
    // The batch as a whole serialises back to something that parses to the same messages.
    if (result.batch && !result.messages.isEmpty())
        require(parse(serialize(result.messages)).messages.size() == result.messages.size());

    ParseOptions strict;
    strict.allowBatch = false;
    strict.maxBytes = 256;
    const ParseResult limited = parse(input, strict);
    require(!limited.batch);
    require(limited.messages.size() + limited.errors.size() == 1);

    ParseOptions lenient;
    lenient.rejectDuplicateKeys = false;
    const ParseResult loose = parse(input, lenient);
    // Refusing duplicates can only turn acceptance into refusal, never the other way.
    require(!result.isValid() || loose.isValid());
    return 0;
}
