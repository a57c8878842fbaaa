#include "strictjson.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonParseError>

namespace mcpgate::json {

namespace {

struct ScanResult
{
    qsizetype badOffset = -1; // first raw control character inside a string
    qsizetype colons = 0; // outside strings: one per object member
};

// QJsonDocument accepts raw control characters inside strings (JSON forbids them) and silently
// keeps the last of duplicate keys. One pass over the bytes finds the former and counts object
// members, which the parsed tree then tells apart from the keys that survived.
ScanResult scan(const QByteArray &data)
{
    ScanResult out;
    const auto *p = reinterpret_cast<const unsigned char *>(data.constData());
    const qsizetype n = data.size();
    bool inString = false;
    for (qsizetype i = 0; i < n; ++i) {
        const unsigned char c = p[i];
        if (!inString) {
            if (c == '"')
                inString = true;
            else if (c == ':')
                ++out.colons;
            continue;
        }
        if (c == '\\') {
            ++i; // the escaped character cannot end the string
        } else if (c == '"') {
            inString = false;
        } else if (c < 0x20) {
            out.badOffset = i;
            return out;
        }
    }
    return out;
}

qsizetype memberCount(const QJsonValue &value)
{
    qsizetype count = 0;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        count += object.size();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
            const QJsonValue child = it.value();
            if (child.isObject() || child.isArray())
                count += memberCount(child);
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &child : array) {
            if (child.isObject() || child.isArray())
                count += memberCount(child);
        }
    }
    return count;
}

} // namespace

StrictParseResult parseStrict(const QByteArray &data, bool rejectDuplicateKeys)
{
    StrictParseResult result;
    const ScanResult scanned = scan(data);
    if (scanned.badOffset >= 0) {
        result.problem = StrictParseResult::Problem::ControlCharacter;
        result.detail
            = QStringLiteral("control character in string at offset %1").arg(scanned.badOffset);
        return result;
    }
    QJsonParseError parseError {};
    result.document = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.problem = StrictParseResult::Problem::Syntax;
        result.detail = QStringLiteral("%1 at offset %2")
                            .arg(parseError.errorString())
                            .arg(parseError.offset);
        result.document = QJsonDocument();
        return result;
    }
    const QJsonValue root = result.document.isArray() ? QJsonValue(result.document.array())
                                                      : QJsonValue(result.document.object());
    if (rejectDuplicateKeys && scanned.colons != memberCount(root)) {
        result.problem = StrictParseResult::Problem::DuplicateKey;
        result.detail = QStringLiteral("duplicate key in an object");
        result.document = QJsonDocument();
    }
    return result;
}

} // namespace mcpgate::json
