// A complete HTTP response: status, headers and body, written in one piece.
#pragma once

#include "httpheaders.h"

#include <QByteArray>

class QJsonArray;
class QJsonObject;

namespace mcpgate::http {

struct HttpResponse
{
    int status = 200;
    HttpHeaders headers;
    QByteArray body;

    static HttpResponse json(int status, const QJsonObject &body);
    static HttpResponse json(int status, const QJsonArray &body);
    static HttpResponse text(int status, const QByteArray &body,
                             const QByteArray &contentType = "text/plain; charset=utf-8");
    static HttpResponse empty(int status);
};

// Standard reason phrase for a status code ("Not Found"), "Unknown" when there is none.
QByteArray reasonPhrase(int status);

} // namespace mcpgate::http
