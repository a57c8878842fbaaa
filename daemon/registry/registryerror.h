// A registry operation that cannot be done as asked: the server does not exist (in this tenant),
// its name is taken, or the client's revision is out of date. The REST layer maps each kind.
#pragma once

#include <QString>

#include <stdexcept>

namespace mcpgate::registry {

class RegistryError : public std::runtime_error
{
public:
    enum class Kind
    {
        NotFound, // 404
        NameConflict, // 409
        StaleRevision, // 412 with If-Match
    };

    RegistryError(Kind kind, const QString &message);

    Kind kind() const { return m_kind; }
    // A sentence fit for the client, e.g. "a server named \"github\" already exists".
    const QString &message() const { return m_message; }

private:
    Kind m_kind;
    QString m_message;
};

} // namespace mcpgate::registry
