#!/usr/bin/env bash
# Installs the Debian packages the tests need (as root, or through sudo when
# there is one): Chromium for the browser tests; Debian's Python with PyTorch,
# NumPy and Pillow plus the licence-clean image packages for the training
# pipeline's smoke tests; OpenCV for the photographic composites' GrabCut.
# Nothing else is downloaded.
set -euo pipefail

PACKAGES=(chromium python3-torch python3-numpy python3-pil python3-skimage python3-fonttools python3-opencv openclipart-png fonts-noto-color-emoji lomiri-wallpapers-16.04)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies: all Debian packages present"
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "test dependencies: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
