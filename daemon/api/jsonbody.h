// Reads a request body as a JSON object, with the status codes a REST client expects: 415 for a
// media type the route does not take, 400 for malformed JSON (strictly: no raw control
// characters, no duplicate keys) or a non-object document.
#pragma once

#include <QByteArrayList>
#include <QJsonObject>

namespace mcpgate::http {
struct HttpRequest;
}

namespace mcpgate::api {

QJsonObject readJsonObject(const http::HttpRequest &request,
                           const QByteArrayList &acceptedTypes = {"application/json"});

} // namespace mcpgate::api
