{
  "targets": [
    {
      "target_name": "bu_aead",
      "sources": ["bu_aead.c"],
      "cflags": ["-O2"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
