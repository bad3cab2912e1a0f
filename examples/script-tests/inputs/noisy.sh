# Correct, but prints 8 KiB of progress first: each response is bigger than the SDK's initial buffer.
read a b
i=0
while [ $i -lt 128 ]; do
  echo "progress ###########################################################"
  i=$((i + 1))
done
echo $((a + b))
