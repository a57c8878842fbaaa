#include "httpheaders.h"

namespace mcpgate::http {

namespace {
bool sameName(const QByteArray &a, const QByteArray &b)
{
    return a.compare(b, Qt::CaseInsensitive) == 0;
}
} // namespace

void HttpHeaders::set(const QByteArray &name, const QByteArray &value)
{
    remove(name);
    m_fields.append({name, value});
}

void HttpHeaders::remove(const QByteArray &name)
{
    m_fields.removeIf([&name](const Field &field) { return sameName(field.first, name); });
}

bool HttpHeaders::contains(const QByteArray &name) const
{
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            return true;
    }
    return false;
}

QByteArray HttpHeaders::value(const QByteArray &name) const
{
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            return field.second;
    }
    return {};
}

QList<QByteArray> HttpHeaders::values(const QByteArray &name) const
{
    QList<QByteArray> result;
    for (const auto &field : m_fields) {
        if (sameName(field.first, name))
            result.append(field.second);
    }
    return result;
}

bool HttpHeaders::hasToken(const QByteArray &name, const QByteArray &token) const
{
    for (const auto &field : m_fields) {
        if (!sameName(field.first, name))
            continue;
        for (const QByteArray &part : field.second.split(',')) {
            if (sameName(part.trimmed(), token))
                return true;
        }
    }
    return false;
}

} // namespace mcpgate::http
