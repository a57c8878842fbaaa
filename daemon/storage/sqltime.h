// Timestamps as stored in the database: ISO-8601 UTC text with milliseconds, e.g.
// "2026-11-29T08:00:00.000Z", the same in SQLite and PostgreSQL, and ordered like time.
#pragma once

#include <QDateTime>
#include <QString>
#include <QVariant>

namespace mcpgate::storage {

// An empty string for an invalid time.
QString toDbTime(const QDateTime &time);
// A null QVariant for an invalid time, for binding nullable columns (expires_at, revoked_at...).
QVariant toDbTimeOrNull(const QDateTime &time);
// The current time, in the stored format.
QString currentDbTime();
// An invalid QDateTime when `text` is empty or not in the stored format; otherwise UTC.
QDateTime fromDbTime(const QString &text);

} // namespace mcpgate::storage
