// Parses JSON the way the standard says and QJsonDocument does not: a raw control character in
// a string is an error, and so is a key repeated in one object (QJsonDocument keeps the last,
// while another parser may keep the first and so see a different document than the gateway).
#pragma once

#include <QJsonDocument>
#include <QString>

namespace mcpgate::json {

struct StrictParseResult
{
    enum class Problem
    {
        None,
        ControlCharacter,
        Syntax,
        DuplicateKey
    };

    Problem problem = Problem::None;
    QJsonDocument document;
    QString detail; // e.g. "control character in string at offset 12"

    bool ok() const { return problem == Problem::None; }
};

StrictParseResult parseStrict(const QByteArray &data, bool rejectDuplicateKeys = true);

} // namespace mcpgate::json
