#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Loads a module that WARNs on purpose. The script itself passes; the
# rig's splat detector must still turn this boot red.

. ./lib/ktap.sh
. ./lib/rig.sh

ktap_header
ktap_plan 1
insmod "$MODDIR/extra/vntb-splat-probe.ko"
ktap_result "deliberate WARN module loaded" grep -q vntb_splat_probe /proc/modules
ktap_finish
