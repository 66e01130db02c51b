# Every dependency comes from a Debian package; see README.md for the list.
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBUV REQUIRED IMPORTED_TARGET libuv)
pkg_check_modules(CARES REQUIRED IMPORTED_TARGET libcares)
pkg_check_modules(IDN2 REQUIRED IMPORTED_TARGET libidn2)
find_package(CLI11 CONFIG REQUIRED)
find_package(Threads REQUIRED)

# BoringSSL (android-libboringssl-dev) ships neither pkg-config nor CMake files and lives beside
# OpenSSL 3. NO_DEFAULT_PATH keeps the search from ever picking up OpenSSL's libssl.so: if both
# were loaded into one process, BoringSSL's internal calls would bind to OpenSSL and crash.
set(BORINGSSL_INCLUDE_DIR /usr/include/android CACHE PATH "BoringSSL headers")
set(BORINGSSL_LIB_DIR /usr/lib/x86_64-linux-gnu/android CACHE PATH "BoringSSL libraries")
find_library(BORINGSSL_SSL_LIBRARY NAMES ssl PATHS ${BORINGSSL_LIB_DIR} NO_DEFAULT_PATH REQUIRED)
find_library(BORINGSSL_CRYPTO_LIBRARY NAMES crypto PATHS ${BORINGSSL_LIB_DIR} NO_DEFAULT_PATH REQUIRED)
if(NOT EXISTS ${BORINGSSL_INCLUDE_DIR}/openssl/is_boringssl.h)
  message(FATAL_ERROR "BoringSSL headers not found in ${BORINGSSL_INCLUDE_DIR}: apt-get install android-libboringssl-dev")
endif()

add_library(boringssl::crypto SHARED IMPORTED)
set_target_properties(boringssl::crypto PROPERTIES
  IMPORTED_LOCATION ${BORINGSSL_CRYPTO_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})
add_library(boringssl::ssl SHARED IMPORTED)
set_target_properties(boringssl::ssl PROPERTIES
  IMPORTED_LOCATION ${BORINGSSL_SSL_LIBRARY}
  INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR}
  INTERFACE_LINK_LIBRARIES boringssl::crypto)

# The libraries sit outside the loader's search path: every binary carries a RUNPATH to them,
# in the build tree and once installed.
set(CMAKE_BUILD_RPATH ${BORINGSSL_LIB_DIR})
set(CMAKE_INSTALL_RPATH ${BORINGSSL_LIB_DIR})
# Ask for DT_RUNPATH rather than the older DT_RPATH.
add_link_options(LINKER:--enable-new-dtags)
