// The crypto-native jest project: every crypto unit test file runs on this libsodium build.
process.env.SORI_CRYPTO_BACKEND = 'native';
