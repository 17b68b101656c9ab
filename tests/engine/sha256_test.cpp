#include "core/sha256.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

// FIPS 180-4 example vectors, and sha256sum's answer for a file written here.
TEST_CASE("sha256: standard vectors", "[sha256]") {
    CHECK(lb::sha256Hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(lb::sha256Hex("abc") ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(lb::sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    // A million 'a's fed in uneven pieces exercises the buffering across blocks.
    lb::Sha256 h;
    const std::string piece(37, 'a');
    size_t fed = 0;
    for (; fed + piece.size() <= 1000000; fed += piece.size())
        h.update(piece);
    h.update(std::string(1000000 - fed, 'a'));
    CHECK(h.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: a file, and a clear error for a missing one", "[sha256]") {
    const std::string path = "sha256_test_file.bin";
    {
        std::ofstream f(path, std::ios::binary);
        f << "abc";
    }
    CHECK(lb::sha256File(path) ==
          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    std::remove(path.c_str());
    CHECK_THROWS_WITH(lb::sha256File("no/such/model.onnx"),
                      Catch::Contains("no/such/model.onnx") && Catch::Contains("cannot read"));
}
