// The logging category of the storage area ("mcpgate.storage"), shared by its files.
// Defined in database.cpp.
#pragma once

#include <QLoggingCategory>

namespace mcpgate::storage {

Q_DECLARE_LOGGING_CATEGORY(lcStorage)

} // namespace mcpgate::storage
