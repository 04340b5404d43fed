#!/bin/bash
# Reports the host OS in CM's key names; reads /etc/os-release and uname, needs nothing else.
set -e
out=tmp-run-env.out
: > "$out"
kernel=$(uname -s)
machine=$(uname -m)
echo "CM_HOST_OS_TYPE=$( [ "$kernel" = Darwin ] && echo darwin || echo linux )" >> "$out"
echo "CM_HOST_OS_KERNEL_VERSION=$(uname -r)" >> "$out"
echo "CM_HOST_OS_MACHINE=$machine" >> "$out"
echo "CM_HOST_PLATFORM_FLAVOR=$machine" >> "$out"
echo "CM_HOST_OS_BITS=$(getconf LONG_BIT 2>/dev/null || echo 64)" >> "$out"
echo "CM_HOST_SYSTEM_NAME=$(uname -n)" >> "$out"
if [ -r /etc/os-release ]; then
  . /etc/os-release
  echo "CM_HOST_OS_FLAVOR=${ID:-unknown}" >> "$out"
  echo "CM_HOST_OS_FLAVOR_LIKE=${ID_LIKE:-}" >> "$out"
  echo "CM_HOST_OS_VERSION=${VERSION_ID:-unknown}" >> "$out"
  echo "CM_HOST_OS_NAME=${PRETTY_NAME:-$NAME}" >> "$out"
fi
manager=""
for m in apt-get dnf yum zypper pacman apk brew; do
  if command -v "$m" >/dev/null 2>&1; then manager=$m; break; fi
done
echo "CM_HOST_OS_PACKAGE_MANAGER=$manager" >> "$out"
case "$manager" in
  apt-get) echo "CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD=apt-get install -y" >> "$out" ;;
  dnf|yum) echo "CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD=$manager install -y" >> "$out" ;;
  brew) echo "CM_HOST_OS_PACKAGE_MANAGER_INSTALL_CMD=brew install" >> "$out" ;;
esac
echo "CM_HOST_OS_IS_ROOT=$( [ "$(id -u)" = 0 ] && echo yes || echo no )" >> "$out"
