// JSON Merge Patch (RFC 7396): how a PATCH body changes a stored document. Objects merge member
// by member, null removes a member, anything else (arrays included) replaces the target.
#pragma once

#include <QJsonValue>

namespace mcpgate::registry {

QJsonValue applyMergePatch(const QJsonValue &target, const QJsonValue &patch);

} // namespace mcpgate::registry
