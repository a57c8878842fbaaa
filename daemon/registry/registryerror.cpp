#include "registry/registryerror.h"

namespace mcpgate::registry {

RegistryError::RegistryError(Kind kind, const QString &message)
    : std::runtime_error(message.toStdString())
    , m_kind(kind)
    , m_message(message)
{ }

} // namespace mcpgate::registry
