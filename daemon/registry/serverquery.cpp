#include "registry/serverquery.h"

#include "registry/servervalidator.h"
#include "registry/validationerror.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QUrlQuery>

namespace mcpgate::registry {

namespace {

const QString limitKey = QStringLiteral("limit");
const QString cursorKey = QStringLiteral("cursor");
const QString tagKey = QStringLiteral("tag");
const QString transportKey = QStringLiteral("transport");
const QString enabledKey = QStringLiteral("enabled");
const QString textKey = QStringLiteral("q");
const QString sortKey = QStringLiteral("sort");

constexpr qsizetype maxCursorLength = 2048;

QString sortKeyName(ServerSortKey key)
{
    switch (key) {
    case ServerSortKey::Name:
        return QStringLiteral("name");
    case ServerSortKey::CreatedAt:
        return QStringLiteral("createdAt");
    case ServerSortKey::UpdatedAt:
        return QStringLiteral("updatedAt");
    }
    return {};
}

std::optional<ServerSortKey> parseSortKey(const QString &name)
{
    for (const auto key :
         {ServerSortKey::Name, ServerSortKey::CreatedAt, ServerSortKey::UpdatedAt}) {
        if (name == sortKeyName(key))
            return key;
    }
    return std::nullopt;
}

[[noreturn]] void invalidCursor()
{
    throw ValidationError(cursorKey,
                          QStringLiteral("is not a cursor of this listing; start "
                                         "again without one"));
}

} // namespace

QString ServerQuery::sortName() const
{
    return (descending ? QStringLiteral("-") : QString()) + sortKeyName(sort);
}

ServerQuery ServerQuery::fromUrlQuery(const QUrlQuery &urlQuery)
{
    static const QStringList known
        = {limitKey, cursorKey, tagKey, transportKey, enabledKey, textKey, sortKey};
    static const QRegularExpression digits(
        QRegularExpression::anchoredPattern(QStringLiteral("[0-9]{1,9}")));

    ServerQuery query;
    FieldErrors errors;
    QSet<QString> seen;
    bool sortValid = true;
    const auto items = urlQuery.queryItems(QUrl::FullyDecoded);
    for (const auto &[key, value] : items) {
        if (!known.contains(key)) {
            errors.add(key, QStringLiteral("unknown query parameter"));
            continue;
        }
        if (seen.contains(key)) {
            errors.add(key, QStringLiteral("is given more than once"));
            continue;
        }
        seen.insert(key);

        if (key == limitKey) {
            const int limit = digits.match(value).hasMatch() ? value.toInt() : 0;
            if (limit < 1 || limit > maxLimit)
                errors.add(key, QStringLiteral("must be an integer from 1 to %1").arg(maxLimit));
            else
                query.limit = limit;
        } else if (key == cursorKey) {
            query.cursor = value;
        } else if (key == tagKey) {
            if (!ServerValidator::isValidTag(value))
                errors.add(key, QStringLiteral("is not a valid tag"));
            query.tag = value;
        } else if (key == transportKey) {
            query.transport = parseTransportType(value);
            if (!query.transport)
                errors.add(key, QStringLiteral("must be one of stdio, streamable-http, sse"));
        } else if (key == enabledKey) {
            if (value == QLatin1String("true") || value == QLatin1String("false"))
                query.enabled = value == QLatin1String("true");
            else
                errors.add(key, QStringLiteral("must be true or false"));
        } else if (key == textKey) {
            if (value.size() > maxTextLength)
                errors.add(key, QStringLiteral("must be at most %1 characters").arg(maxTextLength));
            query.text = value;
        } else if (key == sortKey) {
            const bool descending = value.startsWith(QLatin1Char('-'));
            const auto sort = parseSortKey(descending ? value.mid(1) : value);
            if (sort) {
                query.sort = *sort;
                query.descending = descending;
            } else {
                sortValid = false;
                errors.add(key,
                           QStringLiteral("must be name, createdAt or updatedAt, with a "
                                          "'-' prefix for descending order"));
            }
        }
    }

    if (sortValid && !query.cursor.isEmpty()) {
        try {
            ServerCursor::decode(query.cursor, query.sortName());
        } catch (const ValidationError &error) {
            for (const QJsonValue &fieldError : error.fieldErrors()) {
                const QJsonObject object = fieldError.toObject();
                errors.add(object.value(QLatin1String("field")).toString(),
                           object.value(QLatin1String("message")).toString());
            }
        }
    }
    errors.throwIfAny();
    return query;
}

QString ServerCursor::encode() const
{
    const QJsonObject object {
        {QLatin1String("s"), sort}, {QLatin1String("v"), lastValue}, {QLatin1String("i"), lastId}};
    return QString::fromLatin1(
        QJsonDocument(object)
            .toJson(QJsonDocument::Compact)
            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

ServerCursor ServerCursor::decode(const QString &text, const QString &expectedSort)
{
    if (text.isEmpty() || text.size() > maxCursorLength)
        invalidCursor();
    const auto decoded = QByteArray::fromBase64Encoding(
        text.toLatin1(),
        QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals
            | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        invalidCursor();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(*decoded, &parseError);
    const QJsonObject object = document.object();
    const QJsonValue sort = object.value(QLatin1String("s"));
    const QJsonValue value = object.value(QLatin1String("v"));
    const QJsonValue id = object.value(QLatin1String("i"));
    if (parseError.error != QJsonParseError::NoError || !document.isObject() || object.size() != 3
        || !sort.isString() || !value.isString() || !id.isString() || id.toString().isEmpty())
        invalidCursor();
    if (sort.toString() != expectedSort)
        throw ValidationError(cursorKey,
                              QStringLiteral("was made for sort=%1; list again from "
                                             "the start to sort by %2")
                                  .arg(sort.toString(), expectedSort));
    return ServerCursor {sort.toString(), value.toString(), id.toString()};
}

} // namespace mcpgate::registry
