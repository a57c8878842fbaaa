// Log output of the daemon: readable text on a terminal, one JSON object per line when it runs
// as a service, filtered by QLoggingCategory rules ("mcpgate.http.access=false").
#pragma once

#include <QString>

namespace mcpgate::cli {

enum class LogStyle
{
    Text,
    Json
};

void installLogging(LogStyle style, const QString &rules);

} // namespace mcpgate::cli
