/*
 * bu_aead: AES-256-GCM (NIST SP 800-38D) with a persistent cipher context per key, for the
 * session layer's per-packet hot path. node:crypto rebuilds the AES key schedule and the GHASH
 * tables on every createCipheriv() call (~4.5 us per 1,200-byte packet here); keeping one
 * EVP_CIPHER_CTX per direction and only resetting the 12-byte IV makes a packet cost ~1 us.
 * Uses the OpenSSL that Node itself links (symbols resolved from the node binary).
 *
 *   create(key: 32 bytes) -> handle
 *   seal(handle, nonce12, aad, a, b?) -> Buffer(a ‖ b encrypted ‖ tag16)
 *   open(handle, nonce12, aad, ciphertextWithTag) -> Buffer | null
 */
#include <node_api.h>
#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  EVP_CIPHER_CTX *enc;
  EVP_CIPHER_CTX *dec;
} Gcm;

#define TAG 16

static napi_value fail(napi_env env, const char *msg) {
  napi_throw_error(env, "BU_AEAD", msg);
  return NULL;
}

static int bytes(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  void *ptr;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &ptr, &ab, &offset) != napi_ok || type != napi_uint8_array) return 0;
  *data = (unsigned char *)ptr;
  *len = length;
  return 1;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Gcm *g = (Gcm *)data;
  EVP_CIPHER_CTX_free(g->enc);
  EVP_CIPHER_CTX_free(g->dec);
  free(g);
}

static Gcm *handle(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return (Gcm *)p;
}

static napi_value Create(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  unsigned char *key;
  size_t keylen;
  if (argc < 1 || !bytes(env, argv[0], &key, &keylen) || keylen != 32) return fail(env, "key must be 32 bytes");
  Gcm *g = (Gcm *)calloc(1, sizeof(Gcm));
  if (!g) return fail(env, "out of memory");
  g->enc = EVP_CIPHER_CTX_new();
  g->dec = EVP_CIPHER_CTX_new();
  if (!g->enc || !g->dec || EVP_EncryptInit_ex(g->enc, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
      EVP_CIPHER_CTX_ctrl(g->enc, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 || EVP_EncryptInit_ex(g->enc, NULL, NULL, key, NULL) != 1 ||
      EVP_DecryptInit_ex(g->dec, EVP_aes_256_gcm(), NULL, NULL, NULL) != 1 ||
      EVP_CIPHER_CTX_ctrl(g->dec, EVP_CTRL_GCM_SET_IVLEN, 12, NULL) != 1 || EVP_DecryptInit_ex(g->dec, NULL, NULL, key, NULL) != 1) {
    finalize(env, g, NULL);
    return fail(env, "cipher init failed");
  }
  napi_value out;
  if (napi_create_external(env, g, finalize, NULL, &out) != napi_ok) {
    finalize(env, g, NULL);
    return fail(env, "cannot create handle");
  }
  return out;
}

static napi_value Seal(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Gcm *g = argc >= 4 ? handle(env, argv[0]) : NULL;
  unsigned char *nonce, *aad, *a, *b = NULL;
  size_t nlen, aadlen, alen, blen = 0;
  if (!g || !bytes(env, argv[1], &nonce, &nlen) || nlen != 12 || !bytes(env, argv[2], &aad, &aadlen) || !bytes(env, argv[3], &a, &alen))
    return fail(env, "seal(handle, nonce12, aad, a, b?)");
  if (argc >= 5 && !bytes(env, argv[4], &b, &blen)) return fail(env, "b must be bytes");
  napi_value result;
  unsigned char *out;
  if (napi_create_buffer(env, alen + blen + TAG, (void **)&out, &result) != napi_ok) return fail(env, "cannot allocate");
  int len = 0, fin = 0;
  if (EVP_EncryptInit_ex(g->enc, NULL, NULL, NULL, nonce) != 1) return fail(env, "seal init failed");
  if (aadlen && EVP_EncryptUpdate(g->enc, NULL, &len, aad, (int)aadlen) != 1) return fail(env, "seal aad failed");
  if (alen && EVP_EncryptUpdate(g->enc, out, &len, a, (int)alen) != 1) return fail(env, "seal failed");
  if (blen && EVP_EncryptUpdate(g->enc, out + alen, &len, b, (int)blen) != 1) return fail(env, "seal failed");
  if (EVP_EncryptFinal_ex(g->enc, out + alen + blen, &fin) != 1) return fail(env, "seal final failed");
  if (EVP_CIPHER_CTX_ctrl(g->enc, EVP_CTRL_GCM_GET_TAG, TAG, out + alen + blen) != 1) return fail(env, "tag failed");
  return result;
}

static napi_value Open(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  Gcm *g = argc >= 4 ? handle(env, argv[0]) : NULL;
  unsigned char *nonce, *aad, *ct;
  size_t nlen, aadlen, clen;
  if (!g || !bytes(env, argv[1], &nonce, &nlen) || nlen != 12 || !bytes(env, argv[2], &aad, &aadlen) || !bytes(env, argv[3], &ct, &clen))
    return fail(env, "open(handle, nonce12, aad, ciphertext)");
  napi_value nul;
  napi_get_null(env, &nul);
  if (clen < TAG) return nul;
  size_t plen = clen - TAG;
  napi_value result;
  unsigned char *out;
  if (napi_create_buffer(env, plen, (void **)&out, &result) != napi_ok) return fail(env, "cannot allocate");
  unsigned char tag[TAG];
  memcpy(tag, ct + plen, TAG);
  int len = 0, fin = 0;
  if (EVP_DecryptInit_ex(g->dec, NULL, NULL, NULL, nonce) != 1) return nul;
  if (aadlen && EVP_DecryptUpdate(g->dec, NULL, &len, aad, (int)aadlen) != 1) return nul;
  if (plen && EVP_DecryptUpdate(g->dec, out, &len, ct, (int)plen) != 1) return nul;
  if (EVP_CIPHER_CTX_ctrl(g->dec, EVP_CTRL_GCM_SET_TAG, TAG, tag) != 1) return nul;
  if (EVP_DecryptFinal_ex(g->dec, out + plen, &fin) != 1) return nul;
  return result;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"create", NULL, Create, NULL, NULL, NULL, napi_default, NULL},
      {"seal", NULL, Seal, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, Open, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
