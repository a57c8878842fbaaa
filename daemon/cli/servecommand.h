// `mcpgated serve`: the composition root. Builds every component from the settings, serves
// until SIGTERM/SIGINT, then drains in-flight requests within the configured grace period.
#pragma once

#include "config/settings.h"

namespace mcpgate::cli {

class ServeCommand final
{
public:
    explicit ServeCommand(config::Settings settings);
    // Runs the event loop; returns the process exit code.
    int run();

private:
    config::Settings m_settings;
};

} // namespace mcpgate::cli
