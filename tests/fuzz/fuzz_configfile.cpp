// Feeds arbitrary bytes to the configuration file parser: it must either return entries or throw
// ConfigSyntaxError with a sensible position, and never crash, hang or throw anything else.
#include "config/configerror.h"
#include "config/configfile.h"

#include <QByteArray>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray text(reinterpret_cast<const char *>(data), qsizetype(size));
    try {
        const mcpgate::config::ConfigFile file = mcpgate::config::ConfigFile::parse(text);
        for (auto it = file.entries().cbegin(); it != file.entries().cend(); ++it) {
            // Every key is "section.key" and points at a real line.
            if (!it.key().contains(QLatin1Char('.')) || it->line < 1
                || it->line > text.count('\n') + 1 || it->column < 1 || !it->value.isValid())
                std::abort();
        }
    } catch (const mcpgate::config::ConfigSyntaxError &error) {
        if (error.line() < 1 || error.line() > text.count('\n') + 1 || error.column() < 1
            || error.reason().isEmpty())
            std::abort();
    }
    return 0;
}
