// What a server listing asks for (filters, sort order, page size, position), parsed from the
// URL query of the list endpoint, and the opaque keyset cursor that continues a listing.
#pragma once

#include "registry/servertransport.h"

#include <QString>

#include <optional>

class QUrlQuery;

namespace mcpgate::registry {

enum class ServerSortKey
{
    Name,
    CreatedAt,
    UpdatedAt
};

struct ServerQuery
{
    static constexpr int defaultLimit = 50;
    static constexpr int maxLimit = 200;
    static constexpr int maxTextLength = 200;

    int limit = defaultLimit;
    // nextCursor of the previous page; empty for the first page.
    QString cursor;
    std::optional<QString> tag; // servers carrying exactly this tag
    std::optional<TransportType> transport;
    std::optional<bool> enabled;
    // Case-insensitive substring of name, displayName or description; empty: no filter.
    QString text;
    ServerSortKey sort = ServerSortKey::Name;
    bool descending = false;

    // "name", "-createdAt", ... as in the sort parameter.
    QString sortName() const;

    // Parameters: limit (1..200, default 50), cursor, tag, transport (stdio | streamable-http |
    // sse), enabled (true | false), q, sort (name | createdAt | updatedAt, '-' prefix for
    // descending; default name). Unknown or repeated parameters are errors, and so is a cursor
    // made for another sort order. Throws ValidationError naming each bad parameter.
    static ServerQuery fromUrlQuery(const QUrlQuery &query);
};

// The position after the last item of a page: the sort it was made for and the last item's sort
// value and id. Encoded as base64url JSON; clients treat it as opaque.
struct ServerCursor
{
    QString sort; // ServerQuery::sortName()
    QString lastValue;
    QString lastId;

    QString encode() const;
    // Throws ValidationError on field "cursor" when `text` is malformed or was made for another
    // sort than `expectedSort`.
    static ServerCursor decode(const QString &text, const QString &expectedSort);
};

} // namespace mcpgate::registry
