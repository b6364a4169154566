FROM sancho-it/app:1
ARG GREETING=unset
ARG SANCHOBUILD_FROM_ENV=unset
RUN mkdir -p /www && echo "$GREETING $SANCHOBUILD_FROM_ENV" > /www/built.txt && printf '\033[1;32mcoloured output\033[0m\n'
COPY . /ctx/
