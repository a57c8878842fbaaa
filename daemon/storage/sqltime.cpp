#include "storage/sqltime.h"

#include <QRegularExpression>

namespace mcpgate::storage {

QString toDbTime(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QVariant toDbTimeOrNull(const QDateTime &time)
{
    if (!time.isValid())
        return QVariant(QMetaType::fromType<QString>());
    return toDbTime(time);
}

QString currentDbTime()
{
    return toDbTime(QDateTime::currentDateTimeUtc());
}

QDateTime fromDbTime(const QString &text)
{
    // Strict: the stored format sorts as time only when every value has exactly this shape.
    static const QRegularExpression format(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$"));
    if (!format.match(text).hasMatch())
        return {};
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return {};
    return time.toUTC();
}

} // namespace mcpgate::storage
