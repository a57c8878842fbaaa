// An ordered list of HTTP header fields with case-insensitive lookup, as they appear on the wire.
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace mcpgate::http {

class HttpHeaders
{
public:
    using Field = QPair<QByteArray, QByteArray>;

    void add(const QByteArray &name, const QByteArray &value) { m_fields.append({name, value}); }
    // Replaces every field of that name with one field.
    void set(const QByteArray &name, const QByteArray &value);
    void remove(const QByteArray &name);
    bool contains(const QByteArray &name) const;
    // The first value of that name, or an empty array.
    QByteArray value(const QByteArray &name) const;
    // Every value of that name, in order.
    QList<QByteArray> values(const QByteArray &name) const;
    // True when a comma-separated header (Connection, Expect...) lists `token`.
    bool hasToken(const QByteArray &name, const QByteArray &token) const;

    const QList<Field> &fields() const { return m_fields; }
    bool isEmpty() const { return m_fields.isEmpty(); }
    void clear() { m_fields.clear(); }

private:
    QList<Field> m_fields;
};

} // namespace mcpgate::http
