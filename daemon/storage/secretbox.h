// Authenticated encryption (AES-256-GCM) of secrets kept in the database, such as upstream
// credentials, under one key from the environment or a private key file.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>
#include <stdexcept>

namespace mcpgate::storage {

class SecretBoxError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

class SecretBox final
{
public:
    static constexpr int keySize = 32;
    // Holds a base64 key; when set and non-empty it wins over the key file.
    static constexpr const char *keyEnvironmentVariable = "MCPGATE_SECRET_KEY";

    // Takes the key from MCPGATE_SECRET_KEY when set and non-empty, else from `keyFilePath`,
    // which is created (32 random bytes, mode 0600) when it does not exist. Refuses a key of the
    // wrong length and a key file that group or others may access. Throws SecretBoxError.
    static std::unique_ptr<SecretBox> load(const QString &keyFilePath);

    // `key` must be keySize bytes; throws SecretBoxError otherwise.
    explicit SecretBox(const QByteArray &key);
    ~SecretBox();
    SecretBox(const SecretBox &) = delete;
    SecretBox &operator=(const SecretBox &) = delete;

    // Returns version byte 0x01 | 12-byte random nonce | ciphertext | 16-byte tag. `aad` is bound
    // to the ciphertext (for example the id of the row that stores it): open() needs the same.
    QByteArray seal(const QByteArray &plaintext, const QByteArray &aad) const;
    // Throws SecretBoxError when `blob` is malformed, was tampered with, belongs to another `aad`
    // or was sealed under another key.
    QByteArray open(const QByteArray &blob, const QByteArray &aad) const;

private:
    QByteArray m_key;
};

} // namespace mcpgate::storage
