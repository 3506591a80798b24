# escape=`
FROM lablup/common-base:20.04-py311 AS r
ENV R_VERSION=4.3.2 `
    R_HOME=/usr/lib/R
RUN apt-get update && `
    apt-get install -y r-base=${R_VERSION}* && `
    rm -rf /var/lib/apt/lists/*
label ai.backend.kernelspec=1 `
      ai.backend.features="batch query uid-match" `
      # kept for the old agents
      ai.backend.base-distro=ubuntu20.04 `
      ai.backend.runtime-type=r `
      ai.backend.runtime-path=/usr/bin/R `
      ai.backend.service-ports=rstudio:http:8787
Label ai.backend.role COMPUTE
CMD ["R"]
