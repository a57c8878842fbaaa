#include "registry/validationerror.h"

#include <QJsonObject>
#include <QStringList>

namespace mcpgate::registry {

namespace {

QJsonObject fieldError(const QString &field, const QString &message)
{
    return QJsonObject {{QLatin1String("field"), field}, {QLatin1String("message"), message}};
}

std::string summary(const QJsonArray &fieldErrors)
{
    QStringList parts;
    for (const QJsonValue &error : fieldErrors) {
        const QJsonObject object = error.toObject();
        parts.append(object.value(QLatin1String("field")).toString() + QLatin1Char(' ')
                     + object.value(QLatin1String("message")).toString());
    }
    const QString text = QStringLiteral("invalid input: ") + parts.join(QLatin1String("; "));
    return text.toStdString();
}

} // namespace

ValidationError::ValidationError(const QJsonArray &fieldErrors)
    : std::runtime_error(summary(fieldErrors))
    , m_fieldErrors(fieldErrors)
{ }

ValidationError::ValidationError(const QString &field, const QString &message)
    : ValidationError(QJsonArray {fieldError(field, message)})
{ }

void FieldErrors::add(const QString &field, const QString &message)
{
    m_errors.append(fieldError(field, message));
}

void FieldErrors::throwIfAny() const
{
    if (!m_errors.isEmpty())
        throw ValidationError(m_errors);
}

} // namespace mcpgate::registry
