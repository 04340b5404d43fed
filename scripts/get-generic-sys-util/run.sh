#!/bin/bash
# Installs one system package through the detected package manager (detect-os exported it).
# Without root (and without passwordless sudo) or without a known manager it stops and says what to run by hand.
set -e
name="${CM_SYS_UTIL_NAME:?choose a package with a variation such as _cmake or _name.PACKAGE}"
manager="${CM_HOST_OS_PACKAGE_MANAGER:-}"
# --check=COMMAND: when it succeeds the utility is already there and nothing is installed.
if [ -n "${CM_SYS_UTIL_CHECK_CMD:-}" ] && bash -c "$CM_SYS_UTIL_CHECK_CMD" >/dev/null 2>&1; then
  echo "get-generic-sys-util: '$name' is already present ($CM_SYS_UTIL_CHECK_CMD succeeded); nothing to install."
  echo "CM_SYS_UTIL_INSTALLED_PACKAGE=" > tmp-run-env.out
  exit 0
fi
case "$manager" in
  apt-get) pkg="${CM_SYS_UTIL_APT_PACKAGE:-}" ;;
  dnf|yum) pkg="${CM_SYS_UTIL_DNF_PACKAGE:-}" ;;
  brew)    pkg="${CM_SYS_UTIL_BREW_PACKAGE:-}" ;;
  "")      echo "get-generic-sys-util: no supported package manager (apt-get, dnf, yum, brew, winget) was found on this machine, so '$name' cannot be installed automatically. Install '$name' by hand, then run this command again." >&2; exit 2 ;;
  *)       pkg="" ;;
esac
if [ -z "$pkg" ]; then
  echo "get-generic-sys-util: '$name' has no package name for $manager. Install it by hand, or pass --env.CM_SYS_UTIL_${manager^^}_PACKAGE=NAME." >&2
  exit 2
fi
sudo=""
if [ "$manager" = apt-get ] && dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  : # already there: no root needed
elif [ "$manager" != brew ] && [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo -n"
  else
    echo "get-generic-sys-util: installing '$pkg' needs root, and this user ($(id -un)) is not root and has no passwordless sudo. Run by hand: sudo $manager install -y $pkg   then run this command again." >&2
    exit 3
  fi
fi
case "$manager" in
  apt-get)
    if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      echo "$pkg is already installed."
    else
      echo "Installing $pkg with $manager ..."
      export DEBIAN_FRONTEND=noninteractive
      # Wait for another apt/dpkg run instead of failing on its lock.
      lock=(-o DPkg::Lock::Timeout=600)
      if ! $sudo apt-get "${lock[@]}" install -y --no-install-recommends "$pkg"; then
        # A fresh machine often has no package lists yet.
        $sudo apt-get "${lock[@]}" update -q
        $sudo apt-get "${lock[@]}" install -y --no-install-recommends "$pkg"
      fi
    fi
    version=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null || true) ;;
  dnf|yum) echo "Installing $pkg with $manager ..."; $sudo "$manager" install -y "$pkg"; version=$(rpm -q --qf '%{VERSION}' "$pkg" 2>/dev/null || true) ;;
  brew) echo "Installing $pkg with brew ..."; brew install "$pkg"; version=$(brew list --versions "$pkg" | awk '{print $2}') ;;
esac
{
  echo "CM_SYS_UTIL_INSTALLED_PACKAGE=$pkg"
  echo "CM_SYS_UTIL_VERSION=$version"
} > tmp-run-env.out
