// The schema history: one list of migrations per SQL dialect, in version order. Both lists hold
// the same versions; a released migration is never edited, only followed by a newer one.
#pragma once

#include <span>

namespace mcpgate::storage {

enum class Dialect;

struct Migration
{
    int version;
    const char *description;
    std::span<const char *const> statements;
};

std::span<const Migration> migrations(Dialect dialect);

} // namespace mcpgate::storage
