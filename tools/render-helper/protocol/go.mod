module launchpad.dev/render-helper/protocol

go 1.22
