#!/usr/bin/env bash
# Installs what kpal needs, builds it into build/ and runs the whole test suite with CTest.
# The tests read the shared images in ../shared/images (set KPAL_SHARED_IMAGES to move them).
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
kpal_install $KPAL_PACKAGES $KPAL_TEST_PACKAGES
# The demo's configuration, so that what tools/demo.sh built is not built again (CI's
# sanitizer build treats warnings as errors).
KPAL_CMAKE_ARGS="${KPAL_SHARED_IMAGES:+-DKPAL_SHARED_IMAGES=$KPAL_SHARED_IMAGES} ${KPAL_CMAKE_ARGS:-}"
kpal_build
cd "$KPAL_BUILD"
ctest --output-on-failure -j "$(nproc)" "$@"
