// Invalid client input to the registry, with every problem found (not just the first), one
// {"field": "transport.url", "message": "..."} entry each, for a 400 validation response.
#pragma once

#include <QJsonArray>
#include <QString>

#include <stdexcept>

namespace mcpgate::registry {

class ValidationError : public std::runtime_error
{
public:
    explicit ValidationError(const QJsonArray &fieldErrors);
    ValidationError(const QString &field, const QString &message);

    // [{"field": "tags[2]", "message": "duplicate tag"}, ...], in the order found.
    const QJsonArray &fieldErrors() const { return m_fieldErrors; }

private:
    QJsonArray m_fieldErrors;
};

// Collects field errors while a whole input is checked.
class FieldErrors final
{
public:
    void add(const QString &field, const QString &message);
    bool isEmpty() const { return m_errors.isEmpty(); }
    const QJsonArray &toJson() const { return m_errors; }
    // Throws ValidationError when any error was added.
    void throwIfAny() const;

private:
    QJsonArray m_errors;
};

} // namespace mcpgate::registry
